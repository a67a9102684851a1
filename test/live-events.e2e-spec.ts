import { spawn } from 'node:child_process';
import { Redis } from 'ioredis';
import { CommuneDirectory, type CommuneSnapshot } from '@gemeng/communes';
import { RequestContext } from '@gemeng/core';
import { freePort, TenantTransactions } from '@gemeng/database';
import { LiveEvents, LiveEventsOverflowError, MAX_BUFFERED_EVENTS, type LiveEventPayload } from '@gemeng/live';
import { startTestApi, type TestApi } from './support/test-api';
import { createTestDatabase, withAdmin, type TestDatabase } from './support/test-server';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** REDIS_URL's server when set, else a throw-away redis-server of this suite's own. */
async function redisServer(): Promise<{ url: string; stop(): Promise<void> }> {
  if (process.env.REDIS_URL) return { url: process.env.REDIS_URL, stop: async () => undefined };
  const port = await freePort();
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    {
      stdio: 'ignore',
    },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `redis://127.0.0.1:${port}`;
  const probe = new Redis(url, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
  for (let attempt = 0; ; attempt++) {
    try {
      await probe.connect();
      break;
    } catch (error) {
      if (attempt > 50) throw error;
      await sleep(100);
    }
  }
  probe.disconnect();
  return {
    url,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Reads a subscription continuously, as a healthy client does, keeping what it got. */
function reader(events: AsyncIterableIterator<LiveEventPayload>) {
  const got: LiveEventPayload[] = [];
  let failure: unknown;
  const pumping = (async () => {
    try {
      for await (const event of events) got.push(event);
    } catch (error) {
      failure = error;
    }
  })();
  return {
    got,
    get failure(): unknown {
      return failure;
    },
    /** Waits until `count` events have arrived. */
    async until(count: number, timeoutMs = 5000): Promise<LiveEventPayload[]> {
      const deadline = Date.now() + timeoutMs;
      while (got.length < count) {
        if (Date.now() > deadline) throw new Error(`${got.length} of ${count} events within ${timeoutMs} ms`);
        await sleep(10);
      }
      return got;
    },
    async stop(): Promise<void> {
      await events.return?.();
      await pumping;
    },
  };
}

describe.each(['PostgreSQL', 'Redis'] as const)('Live events across two API instances on %s', (backend) => {
  let db: TestDatabase;
  let redis: { url: string; stop(): Promise<void> } | undefined;
  let a: TestApi;
  let b: TestApi;
  let esch: CommuneSnapshot;
  let dudelange: CommuneSnapshot;
  let liveA: LiveEvents;
  let liveB: LiveEvents;
  let topicNumber = 0;
  /** A topic no other test of the suite uses. */
  const freshTopic = (): string => `dossier:${backend}-${++topicNumber}`;

  beforeAll(async () => {
    db = await createTestDatabase();
    redis = backend === 'Redis' ? await redisServer() : undefined;
    const config = { redisUrl: redis?.url };
    a = await startTestApi({ communes: ['esch', 'dudelange'], database: db, config });
    b = await startTestApi({ database: db, config });
    esch = a.app.get(CommuneDirectory).bySlug('esch')!;
    dudelange = a.app.get(CommuneDirectory).bySlug('dudelange')!;
    liveA = a.app.get(LiveEvents);
    liveB = b.app.get(LiveEvents);
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
    await redis?.stop();
    await db?.drop();
  });

  /** Publishes on instance A inside a transaction of Esch that commits, or rolls back when `fail` says so. */
  async function publishOnA(
    commune: CommuneSnapshot,
    topic: string,
    payload: LiveEventPayload,
    options: { fail?: boolean; beforeCommit?: () => Promise<void> } = {},
  ): Promise<void> {
    const ctx = RequestContext.forCommune(commune);
    await a.app
      .get(TenantTransactions)
      .run(ctx, async (manager) => {
        await manager.query('SELECT 1');
        await liveA.publish(ctx, topic, payload);
        await options.beforeCommit?.();
        if (options.fail) throw new Error('the change is refused');
      })
      .catch((error: Error) => {
        if (!options.fail || error.message !== 'the change is refused') throw error;
      });
  }

  it('delivers an event published on A to a subscriber on B, only once its transaction has committed', async () => {
    const topic = freshTopic();
    const onB = reader(liveB.subscribe(esch.id, topic));
    let beforeCommit: LiveEventPayload[] = [];
    await publishOnA(
      esch,
      topic,
      { dossierId: 'd-1', eventId: '1' },
      {
        beforeCommit: async () => {
          await sleep(300);
          beforeCommit = [...onB.got];
        },
      },
    );
    expect(beforeCommit).toEqual([]);
    expect(await onB.until(1)).toEqual([{ dossierId: 'd-1', eventId: '1' }]);
    await onB.stop();
  });

  it('never delivers an event of a transaction that rolled back', async () => {
    const topic = freshTopic();
    const onB = reader(liveB.subscribe(esch.id, topic));
    await publishOnA(esch, topic, { eventId: 'rolled-back' }, { fail: true });
    await publishOnA(esch, topic, { eventId: 'committed' });
    await onB.until(1);
    await sleep(200);
    expect(onB.got).toEqual([{ eventId: 'committed' }]);
    await onB.stop();
  });

  it("gives another commune's subscriber of the same topic name nothing", async () => {
    const topic = freshTopic();
    const eschOnB = reader(liveB.subscribe(esch.id, topic));
    const dudelangeOnB = reader(liveB.subscribe(dudelange.id, topic));
    const dudelangeOnA = reader(liveA.subscribe(dudelange.id, topic));
    await publishOnA(esch, topic, { eventId: 'esch-only' });
    await eschOnB.until(1);
    await publishOnA(dudelange, topic, { eventId: 'dudelange-only' });
    await dudelangeOnB.until(1);
    await dudelangeOnA.until(1);
    await sleep(200);
    expect(eschOnB.got).toEqual([{ eventId: 'esch-only' }]);
    expect(dudelangeOnB.got).toEqual([{ eventId: 'dudelange-only' }]);
    expect(dudelangeOnA.got).toEqual([{ eventId: 'dudelange-only' }]);
    await Promise.all([eschOnB.stop(), dudelangeOnB.stop(), dudelangeOnA.stop()]);
  });

  it('unsubscribes at return(), also while the subscriber waits for an event', async () => {
    const topic = freshTopic();
    const leaving = liveB.subscribe(esch.id, topic);
    const staying = reader(liveB.subscribe(esch.id, topic));
    expect(liveB.subscriptionCount(esch.id, topic)).toBe(2);
    const waiting = leaving.next();
    expect(await leaving.return!()).toEqual({ value: undefined, done: true });
    expect(await waiting).toEqual({ value: undefined, done: true });
    expect(liveB.subscriptionCount(esch.id, topic)).toBe(1);
    await publishOnA(esch, topic, { eventId: 'after' });
    await staying.until(1);
    expect(await leaving.next()).toEqual({ value: undefined, done: true });
    await staying.stop();
    expect(liveB.subscriptionCount(esch.id, topic)).toBe(0);
  });

  it(`closes a subscriber that lets more than ${MAX_BUFFERED_EVENTS} events wait, with a clear error`, async () => {
    const topic = freshTopic();
    const slow = liveB.subscribe(esch.id, topic);
    const healthy = reader(liveB.subscribe(esch.id, topic));
    const count = MAX_BUFFERED_EVENTS + 1;
    const ctx = RequestContext.forCommune(esch);
    for (let n = 1; n <= count; n++) await liveA.publish(ctx, topic, { n });
    expect((await healthy.until(count)).map((e) => e.n)).toEqual(Array.from({ length: count }, (_, i) => i + 1));
    await expect(slow.next()).rejects.toThrow(new LiveEventsOverflowError(MAX_BUFFERED_EVENTS).message);
    expect(liveB.subscriptionCount(esch.id, topic)).toBe(1);
    await healthy.stop();
  });

  /** The PostgreSQL connections that listen for live events, of both instances. */
  const postgresListeners = (): Promise<{ pid: number; query: string }[]> =>
    withAdmin(db.adminUrl, async (admin) => {
      const result = await admin.query<{ pid: number; query: string }>(
        `SELECT pid, query FROM pg_stat_activity WHERE datname = $1 AND application_name = 'gemeng-api-live'`,
        [db.name],
      );
      return result.rows;
    });

  if (backend === 'Redis') {
    it('listens on Redis, with one subscriber connection per instance and none on PostgreSQL', async () => {
      const probe = new Redis(redis!.url);
      const clients = String(await probe.client('LIST'));
      probe.disconnect();
      expect(clients.match(/name=gemeng-api-live-subscriber /g)?.length).toBeGreaterThanOrEqual(2);
      expect(await postgresListeners()).toEqual([]);
    });
  }

  if (backend === 'PostgreSQL') {
    it('keeps listening after its PostgreSQL connection is terminated', async () => {
      const topic = freshTopic();
      const onB = reader(liveB.subscribe(esch.id, topic));
      const listeners = postgresListeners;
      const before = await listeners();
      expect(before).toHaveLength(2);
      await withAdmin(db.adminUrl, (admin) =>
        admin.query('SELECT pg_terminate_backend(pid) FROM unnest($1::int[]) AS pid', [before.map((l) => l.pid)]),
      );
      const deadline = Date.now() + 10_000;
      let after = await listeners();
      while (!(
        after.length === 2 && after.every((l) => !before.some((b) => b.pid === l.pid) && /^LISTEN/.test(l.query))
      )) {
        if (Date.now() > deadline) throw new Error(`The listeners did not come back: ${JSON.stringify(after)}`);
        await sleep(100);
        after = await listeners();
      }
      await publishOnA(esch, topic, { eventId: 'after-reconnection' });
      expect(await onB.until(1)).toEqual([{ eventId: 'after-reconnection' }]);
      await onB.stop();
    });
  }
});
