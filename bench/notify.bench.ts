import 'reflect-metadata';
import { spawn, type ChildProcess } from 'node:child_process';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { Client } from 'pg';
import { CommuneDirectory, OnboardingService } from '@gemeng/communes';
import { loadConfig, RequestContext, type GemengConfig } from '@gemeng/core';
import { tenantRole, tenantSchema } from '@gemeng/database';
import { OutboxService, type EmailNotification } from '@gemeng/notifications';
import { createApi } from '../apps/api/src/bootstrap';
import { RedisServer } from '../test/support/redis-server';
import { benchCommuneDefinition } from './support/commune-definitions';
import {
  elapsedSeconds,
  fixed,
  median,
  percentile,
  progress,
  table,
  runBenchmark,
  machineLine,
} from './support/report';
import { SmtpCounter } from './support/smtp-counter';
import { createThrowawayDatabase, type ThrowawayDatabase } from './support/throwaway-database';

/** Communes the notifications are spread over; each burst commits one transaction per commune. */
const COMMUNES = 4;
/** E-mails per burst, written at once: what the pipeline drains is its throughput. */
const BURST = Number(process.env.BENCH_BURST ?? 1500);
/** The steady load whose commit-to-delivery lag is measured: e-mails per second, for this long. */
const RATE = Number(process.env.BENCH_RATE ?? 20);
const LAG_SECONDS = Number(process.env.BENCH_LAG_SECONDS ?? 8);
/** Backends alternate A B B A ...: neither always runs first, nor always right after the other. */
const ROUNDS_PER_BACKEND = Number(process.env.BENCH_ROUNDS ?? 3);
const DRAIN_TIMEOUT_MS = 120_000;
const WORKER = join(__dirname, '..', 'apps', 'worker', 'src', 'main.js');

type Backend = 'PostgreSQL' | 'Redis';

interface Round {
  backend: Backend;
  relayedPerSecond: number;
  sentPerSecond: number;
  lags: number[];
  duplicates: number;
  missing: number;
}

interface Bench {
  config: GemengConfig;
  database: ThrowawayDatabase;
  admin: Client;
  api: INestApplication;
  sink: SmtpCounter;
  redisUrl: string;
  slugs: string[];
}

function slugOf(n: number): string {
  return `notify-bench-${n}`;
}

function email(to: string, n: number): EmailNotification {
  return {
    template: 'dossier-received',
    to: { email: to, name: `Citizen ${n}`, locale: (['lb', 'fr', 'de', 'en'] as const)[n % 4] },
    data: {
      reference: `BENCH-2026-${String(n).padStart(5, '0')}`,
      subject: 'Demande de rendez-vous',
      typeName: 'Entretien',
      departmentName: 'Bureau de la population',
      dueOn: '2026-12-03',
      path: `/dossiers/${n}`,
    },
  };
}

/** The worker as production runs it, in its own process, as a deployment would. */
async function startWorker(bench: Bench, backend: Backend): Promise<ChildProcess> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: bench.database.url,
    SMTP_URL: bench.sink.url,
    REDIS_URL: bench.redisUrl,
  };
  if (backend === 'PostgreSQL') delete env.REDIS_URL;
  const child = spawn(process.execPath, [WORKER], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const started = performance.now();
  while (!output.includes('ready; waiting for jobs')) {
    if (child.exitCode !== null) throw new Error(`the worker exited:\n${output}`);
    if (performance.now() - started > 60_000) throw new Error(`the worker did not start:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return child;
}

async function stopWorker(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

async function unrelayed(bench: Bench): Promise<number> {
  const union = bench.slugs
    .map((slug) => `SELECT count(*) AS n FROM "${tenantSchema(slug)}".outbox WHERE relayed_at IS NULL`)
    .join(' UNION ALL ');
  const { rows } = await bench.admin.query<{ n: string }>(`SELECT sum(n) AS n FROM (${union}) AS t`);
  return Number(rows[0].n);
}

async function sentRecords(bench: Bench): Promise<number> {
  const union = bench.slugs
    .map((slug) => `SELECT count(*) AS n FROM "${tenantSchema(slug)}".notification_delivery WHERE status = 'sent'`)
    .join(' UNION ALL ');
  const { rows } = await bench.admin.query<{ n: string }>(`SELECT sum(n) AS n FROM (${union}) AS t`);
  return Number(rows[0].n);
}

/**
 * One round on one backend: a burst of BURST e-mails committed at once (one transaction per commune),
 * timed from the commit to the last row marked relayed and to the last message at the SMTP server;
 * then RATE e-mails a second, one transaction each, and the lag of each from its commit to its arrival.
 */
async function round(bench: Bench, backend: Backend, index: number): Promise<Round> {
  const worker = await startWorker(bench, backend);
  try {
    const outbox = bench.api.get(OutboxService);
    const directory = bench.api.get(CommuneDirectory);
    const contexts = bench.slugs.map((slug) => RequestContext.forCommune(directory.bySlug(slug)!));

    const burst = Array.from({ length: BURST }, (_, n) => `r${index}-b${n}@bench.example.lu`);
    const perCommune = contexts.map((_, c) =>
      burst.flatMap((to, n) => (n % contexts.length === c ? [email(to, n)] : [])),
    );
    const t0 = performance.now();
    await Promise.all(contexts.map((ctx, c) => outbox.enqueue(ctx, ...perCommune[c])));
    const committed = performance.now();
    let relayed = Number.NaN;
    const relayWatch = (async () => {
      while (performance.now() - committed < DRAIN_TIMEOUT_MS) {
        if ((await unrelayed(bench)) === 0) {
          relayed = performance.now();
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    const delivered = await bench.sink.waitForAll(burst, DRAIN_TIMEOUT_MS, (done) =>
      progress(`    ${backend}: ${done}/${BURST} delivered`),
    );
    await relayWatch;
    const last = Math.max(...burst.flatMap((a) => bench.sink.arrivals.get(a) ?? []));
    const sentPerSecond = (delivered / (last - committed)) * 1000;
    const relayedPerSecond = (BURST / (relayed - committed)) * 1000;
    progress(
      `  ${backend} round ${index}: burst of ${BURST} committed in ${fixed(committed - t0, 0)} ms; ` +
        `relayed in ${fixed((relayed - committed) / 1000, 2)} s (${fixed(relayedPerSecond, 0)}/s), ` +
        `delivered in ${fixed((last - committed) / 1000, 2)} s (${fixed(sentPerSecond, 0)}/s)`,
    );

    const steady = Array.from({ length: RATE * LAG_SECONDS }, (_, n) => `r${index}-s${n}@bench.example.lu`);
    const commits = new Map<string, number>();
    const start = performance.now();
    const writes: Promise<void>[] = [];
    for (const [n, to] of steady.entries()) {
      const due = start + (n * 1000) / RATE;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      writes.push(
        outbox.enqueue(contexts[n % contexts.length], email(to, n)).then(() => {
          commits.set(to, performance.now());
        }),
      );
    }
    await Promise.all(writes);
    await bench.sink.waitForAll(steady, DRAIN_TIMEOUT_MS);
    const lags = steady
      .filter((to) => bench.sink.arrivals.has(to))
      .map((to) => bench.sink.arrivals.get(to)![0] - commits.get(to)!);
    const all = [...burst, ...steady];
    const duplicates = all.reduce((n, a) => n + Math.max(0, (bench.sink.arrivals.get(a)?.length ?? 0) - 1), 0);
    const missing = all.length - bench.sink.count(all);
    progress(
      `  ${backend} round ${index}: ${steady.length} e-mails at ${RATE}/s, lag from commit to delivery ` +
        `p50 ${fixed(percentile(lags, 50), 0)} ms, p99 ${fixed(percentile(lags, 99), 0)} ms; ` +
        `${duplicates} duplicate(s), ${missing} missing`,
    );
    return { backend, relayedPerSecond, sentPerSecond, lags, duplicates, missing };
  } finally {
    await stopWorker(worker);
  }
}

function order(rounds: number): Backend[] {
  const pattern: Backend[] = ['PostgreSQL', 'Redis', 'Redis', 'PostgreSQL'];
  return Array.from({ length: rounds * 2 }, (_, i) => pattern[i % pattern.length]);
}

function summary(rounds: Round[]): void {
  const of = (backend: Backend): Round[] => rounds.filter((r) => r.backend === backend);
  const rows = (['PostgreSQL', 'Redis'] as const).map((backend) => {
    const mine = of(backend);
    const lags = mine.flatMap((r) => r.lags);
    return [
      backend,
      fixed(median(mine.map((r) => r.relayedPerSecond)), 0),
      fixed(median(mine.map((r) => r.sentPerSecond)), 0),
      fixed(percentile(lags, 50), 0),
      fixed(percentile(lags, 99), 0),
      String(mine.reduce((n, r) => n + r.duplicates, 0)),
      String(mine.reduce((n, r) => n + r.missing, 0)),
    ];
  });
  // Each Redis round against the PostgreSQL round next to it (A B | B A): the same background load.
  const ratios: number[] = [];
  for (let i = 0; i + 1 < rounds.length; i += 2) {
    const [a, b] = [rounds[i], rounds[i + 1]];
    const [redis, postgres] = a.backend === 'Redis' ? [a, b] : [b, a];
    ratios.push(redis.sentPerSecond / postgres.sentPerSecond);
  }
  console.log(
    `Summary (${elapsedSeconds().toFixed(0)} s, load average now ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')})`,
  );
  console.log(
    table([['backend', 'relayed/s', 'sent/s', 'lag p50 ms', 'lag p99 ms', 'duplicates', 'missing'], ...rows]),
  );
  console.log(
    `sent/s Redis / PostgreSQL, per pair of neighbouring rounds: ${ratios.map((r) => fixed(r, 2)).join(', ')} ` +
      `(median ${fixed(median(ratios), 2)})`,
  );
  console.log(
    `relayed/s and sent/s: median of the ${ROUNDS_PER_BACKEND} bursts of ${BURST} e-mails per backend; ` +
      `lag: all ${ROUNDS_PER_BACKEND * RATE * LAG_SECONDS} e-mails sent at ${RATE}/s per backend, pooled`,
  );
}

async function main(): Promise<void> {
  let database: ThrowawayDatabase | undefined;
  let api: INestApplication | undefined;
  let admin: Client | undefined;
  let sink: SmtpCounter | undefined;
  let redis: RedisServer | undefined;
  let cleaning: Promise<void> | undefined;
  const slugs = Array.from({ length: COMMUNES }, (_, i) => slugOf(i + 1));
  const cleanup = (): Promise<void> =>
    (cleaning ??= (async () => {
      await api?.close().catch(() => undefined);
      await admin?.end().catch(() => undefined);
      await sink?.close().catch(() => undefined);
      await redis?.kill().catch(() => undefined);
      if (database) {
        progress('cleaning up');
        await database
          .dispose(slugs.map(tenantRole), progress)
          .catch((e: unknown) => progress(`cleanup failed: ${String(e)}`));
      }
    })());
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      progress(`${signal}: stopping`);
      void cleanup().finally(() => process.exit(130));
    });
  }

  try {
    progress(
      `notification benchmark: ${ROUNDS_PER_BACKEND} rounds per queue backend, each a burst of ${BURST} e-mails ` +
        `and ${LAG_SECONDS} s at ${RATE} e-mails/s, over ${COMMUNES} communes`,
    );
    database = await createThrowawayDatabase(progress);
    progress(`database: ${database.description}`);
    progress(machineLine());
    let redisUrl = process.env.REDIS_URL;
    if (redisUrl) {
      progress(`Redis: REDIS_URL (jobs under a prefix of their own, from the database name)`);
    } else {
      redis = await RedisServer.start();
      redisUrl = redis.url;
      progress(`Redis: a redis-server of the benchmark's own on 127.0.0.1:${redis.port}`);
    }
    sink = await SmtpCounter.start();
    progress(`SMTP sink on 127.0.0.1:${sink.port} (in this process; it counts, it does not parse)`);
    const config: GemengConfig = { ...loadConfig(process.env), databaseUrl: database.url };
    progress('starting the API with createApi, in this process, to write the outbox as the API does');
    api = await createApi({ config, databaseUrl: database.url, logger: false });
    for (const [i, slug] of slugs.entries()) {
      await api.get(OnboardingService).onboard({ ...benchCommuneDefinition(i + 1), slug });
    }
    progress(`${COMMUNES} communes onboarded; the worker runs as its own process, one backend at a time`);
    admin = new Client({ connectionString: database.adminBenchUrl, application_name: 'gemeng-bench-admin' });
    await admin.connect();
    const bench: Bench = { config, database, admin, api, sink, redisUrl, slugs };

    const rounds: Round[] = [];
    for (const [i, backend] of order(ROUNDS_PER_BACKEND).entries()) {
      progress(`round ${i + 1}/${ROUNDS_PER_BACKEND * 2}: ${backend}`);
      rounds.push(await round(bench, backend, i + 1));
    }
    const recorded = await sentRecords(bench);
    const expected = rounds.length * (BURST + RATE * LAG_SECONDS);
    progress(`delivery records: ${recorded} sent of ${expected} written`);
    summary(rounds);
  } finally {
    await cleanup();
  }
}

runBenchmark('notification', main);
