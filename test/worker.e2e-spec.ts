import type { INestApplicationContext } from '@nestjs/common';
import type { Job } from 'bullmq';
import { loadConfig } from '@gemeng/core';
import { closeWorker, createWorker } from '../apps/worker/src/bootstrap';
import { QueueRegistry } from '../apps/worker/src/queue';
import { createTestDatabase, type TestDatabase } from './support/test-server';

// The suite runs twice in CI: with REDIS_URL (Redis) and without (BullMQ's PostgreSQL backend).
const backend = process.env.REDIS_URL ? 'Redis' : 'PostgreSQL';

describe(`Worker on ${backend}`, () => {
  let db: TestDatabase;
  let worker: INestApplicationContext;
  const lines: string[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    worker = await createWorker({
      config: { ...loadConfig({}), redisUrl: process.env.REDIS_URL, poolSize: 2 },
      databaseUrl: db.url,
      log: (line) => lines.push(line),
      logger: false,
    });
  });
  afterAll(async () => {
    await closeWorker(worker);
    await db.drop();
  });

  it('reports what it connected to, without passwords', () => {
    expect(lines.join('\n')).toContain(
      backend === 'Redis' ? 'queues: Redis at redis://' : 'queues: PostgreSQL at postgres://gemeng:***@',
    );
    expect(lines.join('\n')).not.toContain(':gemeng@');
  });

  it('delivers a job to its processor once, with its data', async () => {
    const registry = worker.get(QueueRegistry);
    const name = `e2e-${db.name}`;
    const seen: Job[] = [];
    const done = new Promise<void>((resolve) => {
      registry.process<{ commune: string }>(name, async (job) => {
        seen.push(job);
        resolve();
        return 'ok';
      });
    });
    await registry.queue<{ commune: string }>(name).add('hello', { commune: 'esch' }, { jobId: 'hello-1' });
    // The same id again is the same job: an idempotency key, as the notification outbox will use.
    await registry.queue<{ commune: string }>(name).add('hello', { commune: 'esch' }, { jobId: 'hello-1' });
    await done;
    await new Promise((r) => setTimeout(r, 300));
    expect(seen.map((j) => [j.name, j.data])).toEqual([['hello', { commune: 'esch' }]]);
    const counts = await registry.queue(name).getJobCounts('completed', 'waiting', 'failed');
    expect(counts).toEqual({ completed: 1, waiting: 0, failed: 0 });
  });
});
