import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { redactUrl, type GemengConfig } from '@gemeng/core';
import type { MailTransport } from '@gemeng/notifications';
import { DataSource } from 'typeorm';
import { describeQueueConnection, PLATFORM_QUEUE, QueueRegistry } from './queue';
import { MAIL_TRANSPORT } from './notifications/notification-queue';
import { withTimeout } from './with-timeout';
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
    const transport = app.get<MailTransport>(MAIL_TRANSPORT);
    const { notifications } = options.config;
    log(
      `e-mail: ${transport.description}; outbox swept every ${notifications.sweepSeconds} s; ` +
        `${notifications.attempts} attempts per e-mail, backoff from ${notifications.backoffMs / 1000} s`,
    );
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
