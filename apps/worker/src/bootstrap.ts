import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { GemengConfig } from '@gemeng/core';
import { DataSource } from 'typeorm';
import { describeQueueConnection, PLATFORM_QUEUE, QueueRegistry, redactUrl } from './queue';
import { WorkerModule } from './worker.module';

/** How long the queue backend gets to answer at start before the worker gives up with a clear error. */
const QUEUE_CHECK_TIMEOUT_MS = 15_000;

export interface WorkerOptions {
  config: GemengConfig;
  databaseUrl: string;
  log?: (line: string) => void;
  /** Nest's own logging; off in tests. */
  logger?: false;
}

function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms / 1000} s`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Builds the worker's application context and proves both connections before it reports ready: the
 * database with a round trip on the pool, the queue backend by reading the `platform` queue's counts.
 */
export async function createWorker(options: WorkerOptions): Promise<INestApplicationContext> {
  const log = options.log ?? (() => undefined);
  const app = await NestFactory.createApplicationContext(
    WorkerModule.forRoot({ config: options.config, databaseUrl: options.databaseUrl }),
    { logger: options.logger === false ? false : ['error', 'warn'], abortOnError: false },
  );
  try {
    await app.init();
    const dataSource = app.get(DataSource);
    const [server] = (await dataSource.query('SHOW server_version')) as { server_version: string }[];
    log(
      `database: ${redactUrl(options.databaseUrl)} (PostgreSQL ${server.server_version}, pool of ${options.config.poolSize})`,
    );
    const queues = app.get(QueueRegistry);
    const counts = await withTimeout(
      queues.queue(PLATFORM_QUEUE).getJobCounts(),
      QUEUE_CHECK_TIMEOUT_MS,
      `The queue backend (${describeQueueConnection(queues.connection)})`,
    );
    const summary = Object.entries(counts)
      .map(([state, n]) => `${state} ${n}`)
      .join(', ');
    log(`queues: ${describeQueueConnection(queues.connection)}; "${PLATFORM_QUEUE}" queue: ${summary}`);
    log(`processing: ${queues.processedQueues().join(', ') || 'no queue yet'}`);
    return app;
  } catch (error) {
    await closeWorker(app).catch(() => undefined);
    throw error;
  }
}

/** Closes queues and workers, then the database pool (PlatformModule closes it last). */
export async function closeWorker(app: INestApplicationContext): Promise<void> {
  await app.close();
}
