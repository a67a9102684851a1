import {
  createPostgresBackend,
  Queue,
  Worker,
  type JobProgress,
  type PostgresConnectionOptions,
  type PostgresQueueBackend,
  type Processor,
  type QueueOptions,
  type WorkerOptions,
} from 'bullmq';
import { redactUrl } from '@gemeng/core';

/**
 * Where BullMQ keeps its jobs: Redis when REDIS_URL is set, otherwise BullMQ's PostgreSQL backend in
 * the platform's own database, so a fresh machine needs nothing but PostgreSQL.
 */
export type QueueConnection = { backend: 'redis'; url: string } | { backend: 'postgres'; url: string; schema: string };

/**
 * BullMQ's tables live in their own schema, apart from `platform` and the `t_<slug>` schemas, so the
 * platform and tenant migrators never see them and BullMQ's own migrations never touch ours.
 */
export const QUEUE_SCHEMA = 'bullmq';

/**
 * Each Queue and Worker on the PostgreSQL backend builds its own small pool (plus, for a Worker, one
 * dedicated LISTEN connection). pg's default of 10 per pool would multiply quickly with the number of
 * queues; job operations are short statements, so two connections keep a worker busy.
 */
const POSTGRES_QUEUE_POOL_SIZE = 2;

export type QueueSettings = Omit<QueueOptions, 'connection'>;
export type WorkerSettings = Omit<WorkerOptions, 'connection'>;

export function queueConnectionFor(redisUrl: string | undefined, databaseUrl: string): QueueConnection {
  return redisUrl
    ? { backend: 'redis', url: redisUrl }
    : { backend: 'postgres', url: databaseUrl, schema: QUEUE_SCHEMA };
}

/** The connection for logs: backend, host and database, never the password. */
export function describeQueueConnection(connection: QueueConnection): string {
  const where = redactUrl(connection.url);
  return connection.backend === 'redis' ? `Redis at ${where}` : `PostgreSQL at ${where}, schema "${connection.schema}"`;
}

function postgresConnection(
  connection: Extract<QueueConnection, { backend: 'postgres' }>,
  applicationName: string,
): PostgresConnectionOptions {
  return {
    connectionString: connection.url,
    schema: connection.schema,
    // BullMQ only checks its schema version by default; creating the schema here (under BullMQ's
    // advisory lock, idempotent) saves a separate migration step for the queue tables.
    migrate: true,
    max: POSTGRES_QUEUE_POOL_SIZE,
    application_name: applicationName,
  };
}

/*
 * The PostgreSQL backend is passed as the last constructor argument of each Queue and Worker rather
 * than installed process-wide with setDefaultBackendFactory: that global factory, given a bare
 * connection string, ran out of memory when it was tried, and being explicit per queue leaves no
 * hidden global state. The factory is imported from the package root, which re-exports the very same function as
 * `bullmq/dist/cjs/postgres` but with its type declarations (the deep path ships none).
 *
 * Queue and Worker carry the backend in a type parameter that only types BullMQ's internals; their
 * public methods are the same on both backends, so callers get one type whatever the backend.
 */

export function openQueue<DataType = unknown>(
  connection: QueueConnection,
  name: string,
  settings: QueueSettings = {},
  applicationName = 'gemeng-queue',
): Queue<DataType> {
  if (connection.backend === 'redis') {
    return new Queue<DataType>(name, { ...settings, connection: { url: connection.url } });
  }
  const queue = new Queue<
    DataType,
    unknown,
    string,
    DataType,
    unknown,
    string,
    PostgresQueueBackend,
    PostgresConnectionOptions
  >(name, { ...settings, connection: postgresConnection(connection, applicationName) }, createPostgresBackend);
  return queue as unknown as Queue<DataType>;
}

export function openWorker<DataType = unknown, ResultType = unknown>(
  connection: QueueConnection,
  name: string,
  processor: Processor<DataType, ResultType, string>,
  settings: WorkerSettings = {},
  applicationName = 'gemeng-queue',
): Worker<DataType, ResultType> {
  if (connection.backend === 'redis') {
    return new Worker<DataType, ResultType>(name, processor, { ...settings, connection: { url: connection.url } });
  }
  const worker = new Worker<DataType, ResultType, string, PostgresQueueBackend, JobProgress, PostgresConnectionOptions>(
    name,
    processor,
    { ...settings, connection: postgresConnection(connection, applicationName) },
    createPostgresBackend,
  );
  return worker as unknown as Worker<DataType, ResultType>;
}
