import 'reflect-metadata';
import { CommuneRegistry } from '@gemeng/communes';
import { loadConfig, type GemengConfig } from '@gemeng/core';
import type { RunningIdentityProvider } from '../../id/src/identity-provider';
import { prepareDatabase } from '@gemeng/platform';
import { createApi } from './bootstrap';

const log = (line: string): void => console.log(`[gemeng] ${line}`);

/**
 * Without OIDC_ISSUER, outside production: the local OpenID provider with the demo accounts, in this
 * process, on PORT_ID (3001). oidc-provider is an ES module; Node >= 20.19 loads it with require().
 */
async function startDevelopmentIdentityProvider(config: GemengConfig): Promise<RunningIdentityProvider | undefined> {
  if (config.oidc.issuer || config.production) return undefined;
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { startIdentityProvider } =
    require('../../id/src/identity-provider') as typeof import('../../id/src/identity-provider');
  const { demoAccounts } = require('../../id/src/demo-accounts') as typeof import('../../id/src/demo-accounts');
  const { communeSlugs, DEV_COOKIE_KEY } = require('../../id/src/main') as typeof import('../../id/src/main');
  /* eslint-enable @typescript-eslint/no-require-imports */
  const port = Number(process.env.PORT_ID ?? 3001);
  const provider = await startIdentityProvider({
    port,
    issuer: `http://localhost:${port}`,
    accounts: demoAccounts(await communeSlugs(config.tenantsDir)),
    clients: [
      {
        clientId: config.oidc.clientId,
        clientSecret: config.oidc.clientSecret,
        originPattern: `${config.publicScheme}://*.${config.baseDomain}:${config.port}`,
      },
    ],
    cookieKeys: [DEV_COOKIE_KEY],
    log: (line) => log(`id: ${line}`),
  });
  config.oidc.issuer = provider.issuer;
  return provider;
}

async function main(): Promise<void> {
  const config = loadConfig();
  const identityProvider = await startDevelopmentIdentityProvider(config);
  const database = await prepareDatabase(config, log);
  // Demo communes are onboarded on start unless the deployment says otherwise (production onboards
  // with the command line).
  const onboardOnStart = process.env.ONBOARD_ON_START ?? (config.production ? 'false' : 'true');
  const app = await createApi({
    config,
    databaseUrl: database.url,
    onboardFrom: onboardOnStart === 'true' ? config.tenantsDir : undefined,
    log,
  });
  await app.listen(config.port, '0.0.0.0');
  const origin = (host: string): string => `${config.publicScheme}://${host}.${config.baseDomain}:${config.port}`;
  const communes = await app.get(CommuneRegistry).list();
  log(`ready. ${communes.length} commune(s):`);
  for (const commune of communes) log(`  ${origin(commune.slug)}/graphql  (${commune.status})`);
  log(`operator: ${origin('operator')}/graphql`);
  if (identityProvider) {
    log(`login:    ${origin('esch')}/auth/login with the demo accounts of ${identityProvider.issuer} (see README)`);
  }
  log(`health:   http://127.0.0.1:${config.port}/health/ready`);
  const stop = async (): Promise<void> => {
    await app.close();
    await identityProvider?.close();
    await database.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

main().catch((error: unknown) => {
  console.error(`[gemeng] could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
