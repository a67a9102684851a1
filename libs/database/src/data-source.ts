import type { GemengConfig } from '@gemeng/core';
import { DataSource, type MixedList } from 'typeorm';

/**
 * The one DataSource, and so the one connection pool, of a process. Tenant data is reached through it
 * with SET LOCAL ROLE / search_path per transaction; there is never a DataSource per commune.
 */
export function createDataSource(
  url: string,
  config: Pick<GemengConfig, 'poolSize' | 'poolMaxUses'>,
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: MixedList<Function>,
  applicationName: string,
): DataSource {
  return new DataSource({
    type: 'postgres',
    url,
    entities,
    synchronize: false,
    migrationsRun: false,
    logging: ['error'],
    extra: {
      max: config.poolSize,
      maxUses: config.poolMaxUses,
      application_name: applicationName,
      idleTimeoutMillis: 30_000,
    },
  });
}
