import 'reflect-metadata';
import { request } from 'node:http';
import { loadavg } from 'node:os';
import type { INestApplication } from '@nestjs/common';
import { Client } from 'pg';
import { CommuneDirectory, OnboardingService } from '@gemeng/communes';
import { loadConfig, type GemengConfig } from '@gemeng/core';
import { tenantRole, tenantSchema } from '@gemeng/database';
import { createApi } from '../apps/api/src/bootstrap';
import {
  backendsAreLocal,
  backendsOf,
  connectionCounts,
  measureCatalogCost,
  type Backend,
} from './support/backend-memory';
import { createFixedSchemaApi, createPooledApi, listen } from './support/bench-apps';
import { benchCommuneDefinition, benchSlug } from './support/commune-definitions';
import { LoadGenerator, type LoadJob } from './support/load-generator';
import {
  elapsedSeconds,
  fixed,
  kib,
  median,
  percentile,
  progress,
  table,
  runBenchmark,
  machineLine,
} from './support/report';
import { createThrowawayDatabase, type ThrowawayDatabase } from './support/throwaway-database';

/** Communes on the platform for the "many communes" figures; BENCH_COMMUNES shrinks it for a quick trial. */
const COMMUNES = Number(process.env.BENCH_COMMUNES ?? 1000);
const SMALL = 10;
/** Onboardings timed at each size; the median is robust to the odd slow one on a shared machine. */
const PROBES = 7;
/** Communes onboarded at once while filling the platform; the timed onboardings run alone. */
const FILL_CONCURRENCY = 2;
/**
 * Short slices, many rounds: the machine is shared, and two slices a second or two apart see the same
 * background load, so their ratio keeps little of it. Every order of the three variants comes up
 * equally often, so that none always runs right after another.
 */
const ROUNDS = 18;
const SLICE_SECONDS = 1.25;
const ORDERS = [
  [0, 1, 2],
  [1, 2, 0],
  [2, 0, 1],
  [2, 1, 0],
  [1, 0, 2],
  [0, 2, 1],
];
/** Requests spread over all communes before backend memory is read: each commune is hit this many times. */
const TOUCHES_PER_COMMUNE = 20;
const MAX_USES_LOW = 100;
/** pg's Pool takes any number; the platform's config only whole positive ones, so "never" is a large one. */
const MAX_USES_NEVER = 1_000_000_000;

/** `departments` makes every request open a tenant transaction and read the commune's schema. */
const QUERY = JSON.stringify({ query: '{ commune { slug name departments { code name } } }' });
const EXPECT = '"departments":[{"code":"population"';

interface Verdict {
  /** Which of the four questions it answers; the summary lists them in this order. */
  section: number;
  figure: string;
  measured: string;
  target: string;
  pass?: boolean;
}

interface Bench {
  config: GemengConfig;
  database: ThrowawayDatabase;
  admin: Client;
  load: LoadGenerator;
  /** Whether the server's backends are processes of this machine, whose memory /proc shows. */
  local: boolean;
  oneHost: string[];
  allHosts: string[];
  verdicts: Verdict[];
  /** Apps still open, closed on the way out whatever happens. */
  apps: INestApplication[];
}

/** One GraphQL request with a Host header; Node's resolver does not map *.localhost to loopback. */
function graphql(url: string, host: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { host, 'content-type': 'application/json' } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end(QUERY);
  });
}

/** Refuses to measure a server that answers with errors, or with another commune than expected. */
async function preflight(name: string, url: string, host: string, expectSlug: string): Promise<void> {
  const { status, body } = await graphql(url, host);
  if (
    status !== 200 ||
    !body.includes(EXPECT) ||
    !body.includes(`"slug":"${expectSlug}"`) ||
    body.includes('"errors"')
  ) {
    throw new Error(`${name}: Host ${host} answered ${status} ${body.slice(0, 300)}`);
  }
  const departments = (JSON.parse(body) as { data: { commune: { departments: unknown[] } } }).data.commune.departments
    .length;
  progress(`  ${name}: Host ${host} -> commune ${expectSlug}, ${departments} departments`);
}

// --- 3. Onboarding -------------------------------------------------------------------------------

async function onboardOne(onboarding: OnboardingService, n: number): Promise<number> {
  const definition = benchCommuneDefinition(n);
  const t0 = performance.now();
  await onboarding.onboard(definition);
  return performance.now() - t0;
}

/** Onboards communes first..last, a few at a time, with a progress line every few seconds. */
async function fill(onboarding: OnboardingService, first: number, last: number): Promise<void> {
  let next = first;
  let done = 0;
  const total = last - first + 1;
  const t0 = performance.now();
  let lastLine = t0;
  const worker = async (): Promise<void> => {
    while (next <= last) {
      await onboardOne(onboarding, next++);
      done++;
      const now = performance.now();
      if (now - lastLine > 4000 || done === total) {
        lastLine = now;
        const each = (now - t0) / done;
        progress(
          `  onboarded ${first - 1 + done}/${last} communes (${fixed(each * FILL_CONCURRENCY, 0)} ms each, ` +
            `${FILL_CONCURRENCY} at a time, ~${Math.ceil(((total - done) * each) / 1000)} s left)`,
        );
      }
    }
  };
  await Promise.all(Array.from({ length: FILL_CONCURRENCY }, worker));
}

async function timedOnboardings(
  onboarding: OnboardingService,
  directory: CommuneDirectory,
  first: number,
): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < PROBES; i++) {
    const existing = directory.size;
    const ms = await onboardOne(onboarding, first + i);
    times.push(ms);
    progress(`  ${benchSlug(first + i)} onboarded with ${existing} communes on the platform: ${fixed(ms, 0)} ms`);
  }
  return times;
}

/**
 * Fills the platform to COMMUNES communes, timing single onboardings at 10 and at COMMUNES existing.
 * The timed ones at 10 (bench-0011…) stay and count towards the COMMUNES; those at COMMUNES come last.
 */
async function onboardingPhase(bench: Bench, app: INestApplication): Promise<void> {
  const onboarding = app.get(OnboardingService);
  const directory = app.get(CommuneDirectory);
  progress(`onboarding ${SMALL} communes`);
  await fill(onboarding, 1, SMALL);
  progress(`timing ${PROBES} onboardings with ${directory.size} communes on the platform`);
  const small = median(await timedOnboardings(onboarding, directory, SMALL + 1));
  progress(`filling the platform up to ${COMMUNES} communes`);
  await fill(onboarding, SMALL + PROBES + 1, COMMUNES);
  progress(`timing ${PROBES} onboardings with ${directory.size} communes on the platform`);
  const large = median(await timedOnboardings(onboarding, directory, COMMUNES + 1));
  progress(`onboarding median: ${fixed(small, 0)} ms with ${SMALL} communes, ${fixed(large, 0)} ms with ${COMMUNES}`);
  bench.verdicts.push({
    section: 3,
    figure: `3. onboarding one commune, median of ${PROBES}, ${COMMUNES} existing`,
    measured: `${fixed(large, 0)} ms (${fixed(small, 0)} ms with ${SMALL}; x${fixed(large / small, 2)})`,
    target: '<= 500 ms',
    pass: large <= 500,
  });
}

// --- 1 and 2. Throughput and latency -------------------------------------------------------------

interface Slice {
  rps: number;
  p99: number;
  latencies: Float64Array;
}

interface Variant {
  name: string;
  url: string;
  hosts: string[];
  /** One slice per round; the slices of one round ran back to back. */
  rounds: Slice[];
  failed: number;
}

function concat(parts: readonly Float64Array[]): Float64Array {
  const all = new Float64Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.length;
  }
  return all;
}

/**
 * The median over rounds of a per-round ratio. Each ratio compares slices measured a few seconds
 * apart, so a burst of other work on the machine spoils one round, not the figure.
 */
function pairedRatio(
  a: Variant,
  b: Variant,
  pick: (s: Slice) => number = (s) => s.rps,
): { median: number; each: number[] } {
  const each = a.rounds.map((s, i) => pick(s) / pick(b.rounds[i]));
  return { median: median(each), each };
}

/** How the per-round ratios behind a median spread: a wide middle half means a busy machine. */
function spreadOf(r: { median: number; each: number[] }): string {
  return `median of ${r.each.length} paired slices, middle half ${fixed(percentile(r.each, 25), 2)}-${fixed(percentile(r.each, 75), 2)}`;
}

function describeRatio(r: { median: number; each: number[] }): string {
  return `${fixed(r.median, 2)} (${spreadOf(r)})`;
}

/**
 * The routing server over one commune and over all of them, and the no-routing baseline, measured in
 * alternation. Both servers live in this process but only one is loaded at a time.
 */
async function throughputPhase(bench: Bench, app: INestApplication): Promise<void> {
  const { config, database, load } = bench;
  const routingUrl = await listen(app);
  const fixedCommune = app.get(CommuneDirectory).bySlug(benchSlug(1));
  if (!fixedCommune) throw new Error(`${benchSlug(1)} is not in the directory`);
  progress(
    'starting the no-routing baseline: same module, one fixed commune, role and search_path fixed per connection',
  );
  const baseline = await createFixedSchemaApi(config, database.url, fixedCommune, 'gemeng-bench-fixed');
  bench.apps.push(baseline.app);
  const fixedUrl = await listen(baseline.app);

  const variant = (name: string, url: string, hosts: string[]): Variant => ({
    name,
    url,
    hosts,
    rounds: [],
    failed: 0,
  });
  const one = variant('routing, 1 commune', routingUrl, bench.oneHost);
  const many = variant(`routing, ${COMMUNES} communes`, routingUrl, bench.allHosts);
  const none = variant('no routing, fixed schema', fixedUrl, bench.oneHost);
  const variants = [one, many, none];
  const lastHost = bench.allHosts[bench.allHosts.length - 1];
  progress('checking that each server answers with the commune it should');
  await preflight(one.name, routingUrl, bench.oneHost[0], benchSlug(1));
  await preflight(many.name, routingUrl, lastHost, benchSlug(COMMUNES));
  await preflight(none.name, fixedUrl, lastHost, benchSlug(1));
  if (baseline.plainBegins() === 0) {
    throw new Error('the no-routing baseline did not see the routed BEGIN it replaces; it would measure routing too');
  }

  const job = (v: Variant, seconds: number): LoadJob => ({
    url: v.url,
    hosts: v.hosts,
    body: QUERY,
    connections: config.poolSize,
    seconds,
    expect: EXPECT,
  });
  progress('warming up each variant for 2 s');
  for (const v of variants) await load.run(job(v, 2));
  progress(
    `measuring: ${ROUNDS} rounds of ${variants.length} slices of ${SLICE_SECONDS} s, each round in another order, ` +
      'so that whatever else the machine does hits every variant alike',
  );
  for (let round = 0; round < ROUNDS; round++) {
    const cells: string[] = [];
    for (const index of ORDERS[round % ORDERS.length]) {
      const v = variants[index];
      const r = await load.run(job(v, SLICE_SECONDS));
      v.rounds[round] = { rps: r.ok / r.seconds, p99: percentile(r.latencies, 99), latencies: r.latencies };
      v.failed += r.bad + r.errors;
      const slice = v.rounds[round];
      cells[index] =
        `${fixed(slice.rps, 0).padStart(5)}/s p99 ${fixed(slice.p99, 1).padStart(4)} ms` +
        (r.bad + r.errors ? ` (${r.bad + r.errors} failed)` : '');
    }
    progress(
      `  round ${String(round + 1).padStart(2)}/${ROUNDS}: ` +
        variants.map((v, i) => `${v.name} ${cells[i]}`).join(' | '),
    );
  }

  const failed = variants.reduce((n, v) => n + v.failed, 0);
  progress(`no-routing baseline: ${baseline.plainBegins()} transactions opened with a plain BEGIN`);
  const latencies = new Map(variants.map((v) => [v, concat(v.rounds.map((s) => s.latencies))]));
  const latency = (v: Variant, p: number): number => percentile(latencies.get(v) ?? new Float64Array(), p);
  progress(
    'all rounds:\n' +
      table([
        ['variant', 'req/s, median slice', 'req/s, mean', 'p50 ms', 'p99 ms', 'requests', 'failed'],
        ...variants.map((v) => [
          v.name,
          fixed(median(v.rounds.map((s) => s.rps)), 0),
          fixed(v.rounds.reduce((n, s) => n + s.rps, 0) / v.rounds.length, 0),
          fixed(latency(v, 50), 2),
          fixed(latency(v, 99), 2),
          String(latencies.get(v)?.length ?? 0),
          String(v.failed),
        ]),
      ]),
  );
  const spread = pairedRatio(many, one);
  const routing = pairedRatio(one, none);
  // Paired like throughput: all slices pooled would let one slice that a burst of other work slowed
  // down fill the whole 1 % tail of its variant.
  const p99Ratio = pairedRatio(many, one, (s) => s.p99);
  const p99Change = p99Ratio.median - 1;
  const clean = failed === 0;
  bench.verdicts.push(
    {
      section: 1,
      figure: `1. throughput, ${COMMUNES} communes / 1 commune`,
      measured: describeRatio(spread),
      target: '>= 0.90',
      pass: spread.median >= 0.9 && clean,
    },
    {
      section: 1,
      figure: `1. p99 latency, ${COMMUNES} communes vs 1 commune`,
      measured:
        `${p99Change >= 0 ? '+' : ''}${fixed(p99Change * 100, 1)} % (${spreadOf(p99Ratio)}; ` +
        `pooled ${fixed(latency(many, 99), 2)} vs ${fixed(latency(one, 99), 2)} ms)`,
      target: '<= +10 %',
      pass: p99Change <= 0.1 && clean,
    },
    {
      section: 2,
      figure: '2. throughput, routing / no routing (1 commune)',
      measured: `${describeRatio(routing)}: routing costs ${fixed((1 - routing.median) * 100, 1)} %`,
      target: '>= 0.90',
      pass: routing.median >= 0.9 && clean,
    },
    {
      section: 2,
      figure: `   routing over ${COMMUNES} communes / no routing`,
      measured: describeRatio(pairedRatio(many, none)),
      target: 'info',
    },
  );
  if (!clean) progress(`${failed} request(s) failed during the load phases; no throughput or latency figure can pass`);
}

// --- 4. Connections and backend memory -----------------------------------------------------------

async function connectionsPhase(bench: Bench): Promise<void> {
  const counts = await connectionCounts(bench.admin, bench.database.name);
  const pool = counts.get('gemeng-api') ?? 0;
  const listener = counts.get('gemeng-api-listener') ?? 0;
  progress(
    `connections to ${bench.database.name} after serving ${COMMUNES} communes: ` +
      [...counts].map(([name, n]) => `${name}=${n}`).join(', '),
  );
  bench.verdicts.push({
    section: 4,
    figure: `4. API connections after serving ${COMMUNES} communes`,
    measured: `${pool + listener} (pool ${pool} + listener ${listener})`,
    target: `<= pool ${bench.config.poolSize} + 1`,
    pass: pool + listener <= bench.config.poolSize + 1,
  });
}

/** Every backend's private heap, so that one bloated backend shows next to the others. */
function memoryLine(backends: Backend[]): string {
  const read = backends.filter((b) => b.memory);
  if (!read.length) return `${backends.length} backends (memory not readable from here)`;
  const heaps = read.map((b) => (b.memory!.anon / 1024).toFixed(1)).join(' ');
  return `${backends.length} backends, private heap each (MiB) ${heaps}; pool PSS ${kib(read.reduce((n, b) => n + b.memory!.pss, 0))}`;
}

function usesLabel(maxUses: number): string {
  return maxUses === MAX_USES_NEVER ? 'never' : String(maxUses);
}

/**
 * What one backend keeps per commune schema it touches, then the pool's backends after every commune
 * was served, with recycling after few uses, after the configured number, and never.
 */
async function memoryPhase(bench: Bench): Promise<void> {
  const { config, database, admin, load } = bench;
  const settings = [...new Set([MAX_USES_LOW, config.poolMaxUses, MAX_USES_NEVER])];

  progress(
    `measuring what one backend keeps per commune schema it touches (one connection, ${COMMUNES} communes in turn)`,
  );
  const refs = Array.from({ length: COMMUNES }, (_, i) => ({
    schema: tenantSchema(benchSlug(i + 1)),
    role: tenantRole(benchSlug(i + 1)),
  }));
  const checkpoints = [...new Set([1, 10, 100, ...settings.map((m) => Math.min(m, COMMUNES)), COMMUNES])]
    .filter((x) => x <= COMMUNES)
    .sort((a, b) => a - b);
  const cost = await measureCatalogCost(database.adminBenchUrl, refs, checkpoints, bench.local);
  for (const p of cost) {
    progress(
      `  after ${String(p.schemas).padStart(5)} schemas: in use ${kib(p.usedKib)}, private heap ${kib(p.anonKib)}`,
    );
  }
  const cacheAt = (schemas: number): number => cost.find((p) => p.schemas === schemas)?.usedKib ?? Number.NaN;
  const perSchema = (cacheAt(COMMUNES) - cacheAt(1)) / (COMMUNES - 1);
  progress(`  => ${kib(perSchema)} of catalog cache per schema touched (${kib(cacheAt(1))} in use with one schema)`);

  const rows: string[][] = [];
  const growth = new Map<number, { median: number; max: number }>();
  const touches = COMMUNES * TOUCHES_PER_COMMUNE;
  const chunk = Math.ceil(touches / 4);
  for (const maxUses of settings) {
    const name = `gemeng-bench-uses-${usesLabel(maxUses)}`;
    progress(`pool recycled after ${usesLabel(maxUses)} uses: starting an API whose connections report as ${name}`);
    const app = await createPooledApi({ ...config, poolMaxUses: maxUses }, database.url, name);
    bench.apps.push(app);
    const url = await listen(app);
    await load.run({
      url,
      hosts: bench.oneHost,
      body: QUERY,
      connections: config.poolSize,
      seconds: 2,
      expect: EXPECT,
    });
    const before = await backendsOf(admin, database.name, name);
    progress(`  after 2 s on 1 commune: ${memoryLine(before)}`);
    let ok = 0;
    let seconds = 0;
    for (let sent = 0; sent < touches; sent += chunk) {
      // Each chunk starts where the previous one stopped, so every commune gets the same share.
      const hosts = bench.allHosts.map((_, i) => bench.allHosts[(i + sent) % bench.allHosts.length]);
      const amount = Math.min(chunk, touches - sent);
      const r = await load.run({ url, hosts, body: QUERY, connections: config.poolSize, amount, expect: EXPECT });
      ok += r.ok;
      seconds += r.seconds;
      progress(
        `  spread ${sent + amount}/${touches} requests over ${COMMUNES} communes (${fixed(r.ok / r.seconds, 0)} req/s)`,
      );
    }
    const after = await backendsOf(admin, database.name, name);
    const listener = (await backendsOf(admin, database.name, `${name}-listener`)).length;
    progress(`  after touching every commune ${TOUCHES_PER_COMMUNE} times: ${memoryLine(after)}; listener ${listener}`);
    const heapBefore = median(before.map((b) => b.memory?.anon ?? Number.NaN));
    const heapAfter = after.map((b) => b.memory?.anon ?? Number.NaN);
    growth.set(maxUses, { median: median(heapAfter) - heapBefore, max: Math.max(...heapAfter) - heapBefore });
    rows.push([
      usesLabel(maxUses),
      String(after.length + listener),
      kib(heapBefore),
      kib(median(heapAfter)),
      kib(Math.max(...heapAfter)),
      kib(after.reduce((n, b) => n + (b.memory?.pss ?? Number.NaN), 0)),
      kib(cacheAt(Math.min(maxUses, COMMUNES)) - cacheAt(1)),
      fixed(ok / seconds, 0),
    ]);
    await app.close();
    bench.apps.splice(bench.apps.indexOf(app), 1);
  }
  progress(
    'private heap per backend by pool recycling (DATABASE_POOL_MAX_USES):\n' +
      table([
        ['max uses', 'conns', 'before', 'after, median', 'after, max', 'pool PSS', 'cache bound', 'req/s'],
        ...rows,
      ]),
  );

  const low = growth.get(MAX_USES_LOW);
  const never = growth.get(MAX_USES_NEVER);
  bench.verdicts.push(
    {
      section: 4,
      figure: `4. backend heap growth, ${COMMUNES} communes: max uses ${MAX_USES_LOW} / never`,
      measured: `median +${kib(low?.median)} / +${kib(never?.median)}, max +${kib(low?.max)} / +${kib(never?.max)}`,
      target: 'info',
    },
    {
      section: 4,
      figure: '4. catalog cache per commune schema a backend touched',
      measured: `${kib(perSchema)}: pool of ${config.poolSize} <= ${config.poolSize} x min(max uses, ${COMMUNES}) x ${kib(perSchema)}`,
      target: 'info',
    },
  );

  const poolCache = (m: number): string => kib(config.poolSize * Math.min(m, COMMUNES) * perSchema);
  console.log(
    [
      '',
      'How the memory bound works: a PostgreSQL backend keeps the catalog entries (relcache, catcache) of',
      'every schema it has run a query in, for as long as it lives; nothing evicts them. One pool of P',
      'connections serving C communes therefore drifts towards P x C x (cache per schema). The pool closes a',
      'connection after DATABASE_POOL_MAX_USES uses (pg Pool maxUses) and opens a fresh one, so a backend has',
      'touched at most that many schemas: per backend, cache <= min(max uses, C) x cache per schema, and the',
      `pool holds P times that at most, however many communes there are. Here P = ${config.poolSize}, C = ${COMMUNES}, ` +
        `${kib(perSchema)} per schema:`,
      ...settings.map(
        (m) =>
          `  max uses ${usesLabel(m).padEnd(6)} -> pool catalog cache <= ${poolCache(m)}` +
          (m >= COMMUNES ? ' (no bound below C: it grows with the number of communes)' : ''),
      ),
      'The price is one reconnect every "max uses" requests per connection (see the req/s column).',
      '',
    ].join('\n'),
  );
}

// --- The run -------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const apps: INestApplication[] = [];
  let load: LoadGenerator | undefined;
  let admin: Client | undefined;
  let database: ThrowawayDatabase | undefined;
  let cleaning: Promise<void> | undefined;
  // Shared by the normal end and Ctrl-C, so that neither exits while the other is still dropping.
  const cleanup = (): Promise<void> =>
    (cleaning ??= (async () => {
      load?.close();
      for (const app of apps.splice(0)) await app.close().catch(() => undefined);
      await admin?.end().catch(() => undefined);
      if (database) {
        progress('cleaning up');
        const roles = Array.from({ length: COMMUNES + PROBES }, (_, i) => tenantRole(benchSlug(i + 1)));
        await database.dispose(roles, progress).catch((e: unknown) => progress(`cleanup failed: ${String(e)}`));
      }
    })());
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      progress(`${signal}: stopping`);
      void cleanup().finally(() => process.exit(130));
    });
  }

  try {
    progress(`tenancy benchmark: ${COMMUNES} communes, every ratio measured within this one run`);
    database = await createThrowawayDatabase(progress);
    progress(`database: ${database.description}`);
    progress(machineLine());
    const config: GemengConfig = { ...loadConfig(process.env), databaseUrl: database.url };
    admin = new Client({ connectionString: database.adminUrl, application_name: 'gemeng-bench-admin' });
    await admin.connect();
    load = new LoadGenerator();
    const bench: Bench = {
      config,
      database,
      admin,
      load,
      local: await backendsAreLocal(admin),
      oneHost: [`${benchSlug(1)}.${config.baseDomain}`],
      allHosts: Array.from({ length: COMMUNES }, (_, i) => `${benchSlug(i + 1)}.${config.baseDomain}`),
      verdicts: [],
      apps,
    };
    progress(
      `pool: ${config.poolSize} connections, recycled after ${config.poolMaxUses} uses; load: ${config.poolSize} HTTP ` +
        `connections from a child process; backend memory ${bench.local ? 'read from /proc' : 'not readable (server not on this machine)'}`,
    );

    progress('starting the API with createApi, in this process');
    const app = await createApi({
      config,
      databaseUrl: database.url,
      logger: false,
      log: (line) => progress(`  api: ${line}`),
    });
    apps.push(app);
    await onboardingPhase(bench, app);
    await throughputPhase(bench, app);
    await connectionsPhase(bench);
    for (const open of apps.splice(0)) await open.close();
    await memoryPhase(bench);

    console.log(
      `Summary (${elapsedSeconds().toFixed(0)} s, load average now ${loadavg()
        .map((x) => x.toFixed(2))
        .join(' ')}; ` + `${database.description})`,
    );
    console.log(
      table([
        ['figure', 'measured', 'target', 'result'],
        ...[...bench.verdicts]
          .sort((a, b) => a.section - b.section)
          .map((v) => [v.figure, v.measured, v.target, v.pass === undefined ? '-' : v.pass ? 'PASS' : 'MISS']),
      ]),
    );
  } finally {
    await cleanup();
  }
}

runBenchmark('tenancy', main);
