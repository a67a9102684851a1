import { readFile } from 'node:fs/promises';
import { Client } from 'pg';
import { quoteIdent } from '@gemeng/database';

/** Memory of one PostgreSQL process, in KiB, from /proc/<pid>/smaps_rollup. */
export interface ProcessMemory {
  /** Private heap: palloc'd memory (catalog caches, plans, work memory); excludes shared_buffers. */
  anon: number;
  /** Proportional set size: private pages plus a fair share of shared ones (shared_buffers, code). */
  pss: number;
}

export interface Backend {
  pid: number;
  applicationName: string;
  memory: ProcessMemory | undefined;
}

async function readProcessMemory(pid: number): Promise<ProcessMemory | undefined> {
  try {
    const text = await readFile(`/proc/${pid}/smaps_rollup`, 'utf8');
    const field = (name: string): number =>
      Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? Number.NaN);
    return { anon: field('Anonymous'), pss: field('Pss') };
  } catch {
    return undefined;
  }
}

/**
 * True when the server's backends are processes of this machine (and readable), so that their memory
 * can be read from /proc; a server in another container or host has pids that mean nothing here.
 */
export async function backendsAreLocal(admin: Client): Promise<boolean> {
  const pid = (await admin.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0].pid;
  const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
  return cmdline.startsWith('postgres') && (await readProcessMemory(pid)) !== undefined;
}

/** The client backends connected to `database`, by application name, with their memory. */
export async function backendsOf(admin: Client, database: string, applicationName?: string): Promise<Backend[]> {
  const { rows } = await admin.query<{ pid: number; application_name: string }>(
    `SELECT pid, application_name FROM pg_stat_activity
      WHERE datname = $1 AND backend_type = 'client backend' AND ($2::text IS NULL OR application_name = $2)
      ORDER BY pid`,
    [database, applicationName ?? null],
  );
  return Promise.all(
    rows.map(async (r) => ({
      pid: r.pid,
      applicationName: r.application_name,
      memory: await readProcessMemory(r.pid),
    })),
  );
}

/** Connections to `database` per application name. */
export async function connectionCounts(admin: Client, database: string): Promise<Map<string, number>> {
  const { rows } = await admin.query<{ application_name: string; n: string }>(
    `SELECT application_name, count(*) AS n FROM pg_stat_activity
      WHERE datname = $1 AND backend_type = 'client backend' GROUP BY application_name ORDER BY application_name`,
    [database],
  );
  return new Map(rows.map((r) => [r.application_name || '(none)', Number(r.n)]));
}

export interface CatalogCostPoint {
  schemas: number;
  /** Memory in use in the backend's memory contexts (pg_backend_memory_contexts.used_bytes, summed). */
  usedKib: number;
  /** The backend's private heap as the kernel sees it (undefined when the server is elsewhere). */
  anonKib: number | undefined;
}

/**
 * Touches one commune schema after the other on a single connection, the way a pooled connection does
 * when requests arrive for many communes, and records the backend's memory at each checkpoint. The
 * growth per schema is what a pool's recycling has to bound. It connects as a superuser because
 * pg_backend_memory_contexts is superuser-only before PostgreSQL 16; it still switches to each
 * commune's role and schema exactly as a tenant transaction does, so it caches the same catalog entries.
 */
export async function measureCatalogCost(
  url: string,
  communes: readonly { schema: string; role: string }[],
  checkpoints: readonly number[],
  local: boolean,
): Promise<CatalogCostPoint[]> {
  const client = new Client({ connectionString: url, application_name: 'gemeng-bench-catalog' });
  await client.connect();
  try {
    const pid = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0].pid;
    const point = async (schemas: number): Promise<CatalogCostPoint> => {
      // used_bytes rather than total_bytes: CacheMemoryContext grows in blocks of up to 8 MB, so the
      // allocated total moves in steps while the memory in use follows the schemas touched.
      const used = await client.query<{ used: string }>(
        'SELECT sum(used_bytes) AS used FROM pg_backend_memory_contexts',
      );
      return {
        schemas,
        usedKib: Number(used.rows[0].used) / 1024,
        anonKib: local ? (await readProcessMemory(pid))?.anon : undefined,
      };
    };
    const points = [await point(0)];
    for (let i = 0; i < communes.length; i++) {
      const { schema, role } = communes[i];
      // What a tenant request sends: the routed BEGIN, then a read of the commune's departments.
      await client.query(
        `BEGIN; SET LOCAL ROLE ${quoteIdent(role)}; SET LOCAL search_path TO ${quoteIdent(schema)};
         SELECT id, code, names, email, position FROM department ORDER BY position ASC, code ASC; COMMIT`,
      );
      if (checkpoints.includes(i + 1)) points.push(await point(i + 1));
    }
    return points;
  } finally {
    await client.end();
  }
}
