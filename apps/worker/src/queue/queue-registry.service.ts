import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { Processor, Queue, Worker } from 'bullmq';
import { QUEUE_MODULE_OPTIONS } from './queue.constants';
import {
  openQueue,
  openWorker,
  type QueueConnection,
  type QueueSettings,
  type WorkerSettings,
} from './queue-connection';

export interface QueueModuleOptions {
  connection: QueueConnection;
  /** Shown in pg_stat_activity for BullMQ's own connections when it runs on PostgreSQL. */
  applicationName: string;
  /**
   * Namespace of every queue's keys on Redis, so that deployments (or test runs) sharing one Redis
   * never see each other's jobs. The PostgreSQL backend namespaces by schema and ignores it.
   */
  prefix?: string;
}

/**
 * Opens BullMQ queues and workers on the process's queue connection and closes them with the
 * application. Producers ask for a queue by name; consumers register a processor during module init.
 */
@Injectable()
export class QueueRegistry implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Queues');
  private readonly queues = new Map<string, Queue>();
  private readonly workers = new Map<string, Worker>();
  private bootstrapped = false;

  constructor(@Inject(QUEUE_MODULE_OPTIONS) private readonly options: QueueModuleOptions) {}

  get connection(): QueueConnection {
    return this.options.connection;
  }

  /**
   * The producer side of a queue, opened once per process and shared by every caller; `settings` count
   * only on the first call for a name.
   */
  queue<DataType = unknown>(name: string, settings: QueueSettings = {}): Queue<DataType> {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = openQueue(
        this.options.connection,
        name,
        { ...this.prefixed(), ...settings },
        `${this.options.applicationName}:bullmq`,
      );
      // An 'error' event with no listener would throw out of the connection's event loop.
      queue.on('error', (error) => this.logger.error(`queue ${name}: ${error.message}`));
      this.queues.set(name, queue);
    }
    return queue as Queue<DataType>;
  }

  /**
   * Registers the processor of a queue. Call it from `onModuleInit`: workers start consuming only once
   * the whole application has initialised, so no job reaches a processor whose dependencies are not
   * ready yet.
   */
  process<DataType = unknown, ResultType = unknown>(
    name: string,
    processor: Processor<DataType, ResultType, string>,
    settings: WorkerSettings = {},
  ): Worker<DataType, ResultType> {
    if (this.workers.has(name)) throw new Error(`Queue "${name}" already has a processor`);
    const worker = openWorker(
      this.options.connection,
      name,
      processor,
      { ...this.prefixed(), ...settings, autorun: false },
      `${this.options.applicationName}:bullmq`,
    );
    worker.on('error', (error) => this.logger.error(`worker ${name}: ${error.message}`));
    worker.on('failed', (job, error) =>
      this.logger.warn(`job ${name}/${job?.id ?? '?'} failed (attempt ${job?.attemptsMade ?? '?'}): ${error.message}`),
    );
    this.workers.set(name, worker as unknown as Worker);
    if (this.bootstrapped) this.run(name, worker as unknown as Worker);
    return worker;
  }

  /** Names of the queues that have a processor in this process. */
  processedQueues(): string[] {
    return [...this.workers.keys()];
  }

  onApplicationBootstrap(): void {
    this.bootstrapped = true;
    for (const [name, worker] of this.workers) this.run(name, worker);
  }

  /**
   * Workers close first, each finishing its active job, then the queues. This runs in Nest's first
   * shutdown phase, ahead of the shutdown hooks that close connections, so a job in flight still has
   * its database pool.
   */
  async onModuleDestroy(): Promise<void> {
    await Promise.all([...this.workers.values()].map((worker) => worker.close()));
    await Promise.all([...this.queues.values()].map((queue) => queue.close()));
    this.workers.clear();
    this.queues.clear();
  }

  private prefixed(): { prefix?: string } {
    return this.options.prefix ? { prefix: this.options.prefix } : {};
  }

  private run(name: string, worker: Worker): void {
    // run() settles only when the worker closes; a rejection means its loop stopped for good.
    worker.run().catch((error: unknown) => {
      this.logger.error(`worker ${name} stopped: ${error instanceof Error ? error.message : String(error)}`);
    });
  }
}
