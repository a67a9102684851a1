import { join } from 'node:path';
import type { GemengConfig } from '@gemeng/core';
import {
  EMBEDDED_APP_DATABASE,
  EmbeddedPostgresRunningError,
  provisionAppDatabase,
  startEmbeddedPostgres,
} from '@gemeng/database';

export interface PreparedDatabase {
  url: string;
  embedded: boolean;
  stop(): Promise<void>;
}

/**
 * DATABASE_URL when it is set; otherwise an embedded PostgreSQL under the data directory, with the
 * platform's login role and database created on first use. The caller stops it (`stop()`) on exit,
 * signals included, once nothing uses it any more.
 */
export async function prepareDatabase(config: GemengConfig, log: (line: string) => void): Promise<PreparedDatabase> {
  if (config.databaseUrl) return { url: config.databaseUrl, embedded: false, stop: async () => undefined };
  const dir = join(config.dataDir, 'postgres');
  let server;
  try {
    server = await startEmbeddedPostgres(dir, config.embeddedPostgresPort, { persistent: true, log, ownSignals: true });
  } catch (error) {
    // The API, the worker and the command line share one embedded server: whoever comes second uses the
    // server the first one started, and leaves it running when done.
    if (!(error instanceof EmbeddedPostgresRunningError)) throw error;
    log(`using the embedded PostgreSQL already running from ${dir} (pid ${error.pid})`);
    const { role, password, name } = EMBEDDED_APP_DATABASE;
    return {
      url: `postgres://${role}:${password}@127.0.0.1:${config.embeddedPostgresPort}/${name}`,
      embedded: true,
      stop: async () => undefined,
    };
  }
  try {
    const url = await provisionAppDatabase(server.adminUrl, EMBEDDED_APP_DATABASE);
    log(`embedded PostgreSQL on 127.0.0.1:${config.embeddedPostgresPort}, data in ${dir}`);
    return { url, embedded: true, stop: () => server.stop() };
  } catch (error) {
    await server.stop();
    throw error;
  }
}
