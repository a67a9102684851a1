import { join } from 'node:path';
import type { GemengConfig } from '@gemeng/core';
import { EMBEDDED_APP_DATABASE, provisionAppDatabase, startEmbeddedPostgres } from '@gemeng/database';

export interface PreparedDatabase {
  url: string;
  embedded: boolean;
  stop(): Promise<void>;
}

/**
 * DATABASE_URL when it is set; otherwise an embedded PostgreSQL under the data directory, with the
 * platform's login role and database created on first use.
 */
export async function prepareDatabase(config: GemengConfig, log: (line: string) => void): Promise<PreparedDatabase> {
  if (config.databaseUrl) return { url: config.databaseUrl, embedded: false, stop: async () => undefined };
  const server = await startEmbeddedPostgres(join(config.dataDir, 'postgres'), config.embeddedPostgresPort, {
    persistent: true,
    log,
  });
  try {
    const url = await provisionAppDatabase(server.adminUrl, EMBEDDED_APP_DATABASE);
    log(`embedded PostgreSQL on 127.0.0.1:${config.embeddedPostgresPort}, data in ${join(config.dataDir, 'postgres')}`);
    return { url, embedded: true, stop: () => server.stop() };
  } catch (error) {
    await server.stop();
    throw error;
  }
}
