import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { quoteIdent } from '@gemeng/database';

/** Written by the global setup for every test file: the server to use and the template to clone. */
export interface TestServerInfo {
  adminUrl: string;
  template: string;
  appRole: string;
  appPassword: string;
}

export const APP_ROLE = { role: 'gemeng', password: 'gemeng' };

export function testServer(): TestServerInfo {
  const raw = process.env.GEMENG_TEST_SERVER;
  if (!raw) throw new Error('The e2e tests run through jest, whose global setup prepares the database server');
  return JSON.parse(raw) as TestServerInfo;
}

export async function withAdmin<T>(adminUrl: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export function urlFor(base: string, database: string, credentials?: { role: string; password: string }): string {
  const url = new URL(base);
  url.pathname = `/${database}`;
  if (credentials) {
    url.username = credentials.role;
    url.password = credentials.password;
  }
  return url.toString();
}

export interface TestDatabase {
  name: string;
  /** As the platform's login role (NOINHERIT, not a superuser). */
  url: string;
  /** As the server's superuser, for checks the platform itself must not be able to make. */
  adminUrl: string;
  drop(): Promise<void>;
}

/**
 * A database of its own for one test file, cloned from the migrated template in a moment. Tenant roles
 * are cluster-wide and so shared between these databases; each clone has its own schemas.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const server = testServer();
  const name = `gemeng_test_${randomBytes(5).toString('hex')}`;
  await withAdmin(server.adminUrl, (admin) =>
    admin.query(
      `CREATE DATABASE ${quoteIdent(name)} TEMPLATE ${quoteIdent(server.template)} OWNER ${quoteIdent(server.appRole)}`,
    ),
  );
  return {
    name,
    url: urlFor(server.adminUrl, name, { role: server.appRole, password: server.appPassword }),
    adminUrl: urlFor(server.adminUrl, name),
    drop: () =>
      withAdmin(server.adminUrl, (admin) =>
        admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`),
      ).then(() => undefined),
  };
}
