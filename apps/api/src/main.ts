import 'reflect-metadata';
import type { INestApplicationContext } from '@nestjs/common';
import { CommuneRegistry } from '@gemeng/communes';
import { communeOrigin, loadConfig, type GemengConfig } from '@gemeng/core';
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

/**
 * Outside production, and unless START_WORKER=false: the queue worker in this process too, so that a
 * developer's e-mails reach `.data/mail` (or SMTP_URL) without a second command. Production runs it
 * as its own process (`npm run start:worker`).
 */
async function startDevelopmentWorker(
  config: GemengConfig,
  databaseUrl: string,
): Promise<INestApplicationContext | undefined> {
  if (config.production || process.env.START_WORKER === 'false') return undefined;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { createWorker } = require('../../worker/src/bootstrap') as typeof import('../../worker/src/bootstrap');
  try {
    return await createWorker({ config, databaseUrl, log: (line) => log(`worker: ${line}`) });
  } catch (error) {
    // The portal works without it; e-mails wait in the outbox until a worker runs.
    log(
      `worker: could not start (${error instanceof Error ? error.message : String(error)}); e-mails wait in the outbox`,
    );
    return undefined;
  }
}

/** Closes the in-process worker: its workers finish their active jobs, then its pool closes. */
async function closeWorker(worker: INestApplicationContext): Promise<void> {
  await worker.close().catch((error: unknown) => {
    console.error(
      `[gemeng] the worker did not close cleanly: ${error instanceof Error ? error.message : String(error)}`,
    );
  });
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
  const worker = await startDevelopmentWorker(config, database.url);
  const communes = await app.get(CommuneRegistry).list();
  log(`ready. ${communes.length} commune(s):`);
  for (const commune of communes) log(`  ${communeOrigin(config, commune.slug)}/graphql  (${commune.status})`);
  log(`operator: ${communeOrigin(config, 'operator')}/graphql`);
  if (identityProvider) {
    log(
      `login:    ${communeOrigin(config, 'esch')}/auth/login with the demo accounts of ${identityProvider.issuer} (see README)`,
    );
  }
  log(`health:   http://127.0.0.1:${config.port}/health/ready`);
  const stop = async (): Promise<void> => {
    // The worker first: its active jobs finish while the database is still there.
    if (worker) await closeWorker(worker);
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
