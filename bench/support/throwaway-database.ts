import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { freePort, provisionAppDatabase, quoteIdent, startEmbeddedPostgres } from '@gemeng/database';

export interface ThrowawayDatabase {
  /** Connection string of the platform's login role on the bench database. */
  url: string;
  /** Superuser connection string, to watch pg_stat_activity across the server. */
  adminUrl: string;
  /** Superuser connection string on the bench database itself. */
  adminBenchUrl: string;
  name: string;
  /** Where the run happens, for the report. */
  description: string;
  /** Drops everything the run created: the database, or the whole embedded server. */
  dispose(tenantRoles: readonly string[], log: (line: string) => void): Promise<void>;
}

const APP_ROLE = { role: 'gemeng', password: 'gemeng' };

function timestamp(): string {
  return new Date().toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

function onDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

async function withAdmin<T>(adminUrl: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: adminUrl, application_name: 'gemeng-bench-admin' });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function serverVersion(adminUrl: string): Promise<string> {
  return withAdmin(
    adminUrl,
    async (c) => (await c.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0].v,
  );
}

/**
 * A database that exists for one run only. With DATABASE_URL (a superuser URL) it is a fresh database
 * on that server; without, an embedded PostgreSQL in a temporary directory. The commune roles are
 * cluster-wide, so on a shared server they are dropped one by one at the end: a role that another
 * database still uses is reported and left alone.
 */
export async function createThrowawayDatabase(log: (line: string) => void): Promise<ThrowawayDatabase> {
  const shared = process.env.DATABASE_URL;
  if (shared) {
    const name = `gemeng_bench_${timestamp()}`;
    const url = await provisionAppDatabase(shared, { name, ...APP_ROLE });
    const where = new URL(shared);
    const description = `PostgreSQL ${await serverVersion(shared)} at ${where.host} (DATABASE_URL), database ${name}`;
    return {
      url,
      adminUrl: shared,
      adminBenchUrl: onDatabase(shared, name),
      name,
      description,
      async dispose(tenantRoles, say) {
        await withAdmin(shared, async (admin) => {
          await admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
          let left = 0;
          for (const role of tenantRoles) {
            try {
              await admin.query(`DROP ROLE IF EXISTS ${quoteIdent(role)}`);
            } catch {
              left++;
            }
          }
          say(
            `dropped database ${name} and ${tenantRoles.length - left} commune roles` +
              (left ? ` (${left} still used elsewhere, kept)` : ''),
          );
        });
      },
    };
  }
  const dir = await mkdtemp(join(tmpdir(), 'gemeng-bench-'));
  // The server runs as the postgres user when started by root; it must be able to reach its data directory.
  await chmod(dir, 0o755);
  const port = await freePort();
  log(`starting embedded PostgreSQL on 127.0.0.1:${port} in ${dir}`);
  // The bench stops the server itself on Ctrl-C, after closing the apps that use it and before removing its directory.
  const server = await startEmbeddedPostgres(join(dir, 'data'), port, { persistent: false, log, ownSignals: true });
  try {
    const name = 'gemeng_bench';
    const url = await provisionAppDatabase(server.adminUrl, { name, ...APP_ROLE });
    return {
      url,
      adminUrl: server.adminUrl,
      adminBenchUrl: onDatabase(server.adminUrl, name),
      name,
      description: `embedded PostgreSQL ${await serverVersion(server.adminUrl)} at 127.0.0.1:${port} (no DATABASE_URL), database ${name}`,
      async dispose(_roles, say) {
        await server.stop();
        await rm(dir, { recursive: true, force: true });
        say(`stopped embedded PostgreSQL and removed ${dir}`);
      },
    };
  } catch (error) {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}
