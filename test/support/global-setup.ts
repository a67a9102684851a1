import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// Only modules free of GraphQL types: this file runs in jest's own process, outside the sandbox of the
// test files, and a type registered here would be a stranger to the sandbox's GraphQL schema builder.
import {
  createDataSource,
  freePort,
  migratePlatform,
  provisionAppDatabase,
  startEmbeddedPostgres,
  type RunningServer,
} from '@gemeng/database';
import { PLATFORM_MIGRATIONS } from '../../libs/platform/src/migrations';
import { APP_ROLE, type TestServerInfo } from './test-server';

declare global {
  var gemengEmbeddedServer: RunningServer | undefined;
}

/**
 * Prepares the database server once for the whole run: DATABASE_URL's server when set (its user must be
 * able to create roles and databases), else a throw-away embedded PostgreSQL. The platform schema is
 * migrated once into a template that each test file clones.
 */
export default async function globalSetup(): Promise<void> {
  let adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    const dir = await mkdtemp(join(tmpdir(), 'gemeng-test-pg-'));
    globalThis.gemengEmbeddedServer = await startEmbeddedPostgres(dir, await freePort(), { persistent: false });
    adminUrl = globalThis.gemengEmbeddedServer.adminUrl;
  }
  const template = `gemeng_template_${process.pid}`;
  const appUrl = await provisionAppDatabase(adminUrl, { name: template, ...APP_ROLE });
  const dataSource = await createDataSource(
    appUrl,
    { poolSize: 1, poolMaxUses: 1000 },
    [],
    'gemeng-test-setup',
  ).initialize();
  try {
    await migratePlatform(dataSource, PLATFORM_MIGRATIONS);
  } finally {
    await dataSource.destroy();
  }
  const info: TestServerInfo = { adminUrl, template, appRole: APP_ROLE.role, appPassword: APP_ROLE.password };
  process.env.GEMENG_TEST_SERVER = JSON.stringify(info);
}
