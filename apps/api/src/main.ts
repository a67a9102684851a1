import 'reflect-metadata';
import { CommuneRegistry } from '@gemeng/communes';
import { loadConfig } from '@gemeng/core';
import { prepareDatabase } from '@gemeng/platform';
import { createApi } from './bootstrap';

const log = (line: string): void => console.log(`[gemeng] ${line}`);

async function main(): Promise<void> {
  const config = loadConfig();
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
  log(`health:   http://127.0.0.1:${config.port}/health/ready`);
  const stop = async (): Promise<void> => {
    await app.close();
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
