import { Module, type DynamicModule } from '@nestjs/common';
import type { GemengConfig } from '@gemeng/core';
import { DocumentStorageModule } from '@gemeng/documents';
import { PlatformModule } from '@gemeng/platform';
import { BillingWorkerModule } from './billing/billing-worker.module';
import { NotificationsWorkerModule } from './notifications/notifications-worker.module';
import { QueueModule, queueConnectionFor } from './queue';
import { RetentionWorkerModule } from './retention/retention-worker.module';

export const WORKER_APPLICATION_NAME = 'gemeng-worker';

export interface WorkerModuleOptions {
  config: GemengConfig;
  /** Connection string of the application's login role. */
  databaseUrl: string;
}

/**
 * Redis keys are namespaced by the database the jobs belong to: two deployments, or two test runs,
 * that share one Redis but not one database never take each other's jobs.
 */
export function defaultQueuePrefix(databaseUrl: string): string {
  const name = decodeURIComponent(new URL(databaseUrl).pathname.slice(1)) || 'postgres';
  return `gemeng.${name}`;
}

/** The worker process: the shared platform plumbing plus BullMQ; processors join as modules. */
@Module({})
export class WorkerModule {
  static forRoot(options: WorkerModuleOptions): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        PlatformModule.forRoot({ ...options, applicationName: WORKER_APPLICATION_NAME }),
        QueueModule.forRoot({
          connection: queueConnectionFor(options.config.redisUrl, options.databaseUrl),
          applicationName: WORKER_APPLICATION_NAME,
          prefix: options.config.queue.prefix ?? defaultQueuePrefix(options.databaseUrl),
        }),
        DocumentStorageModule.forRoot(options.config),
        NotificationsWorkerModule,
        RetentionWorkerModule,
        BillingWorkerModule,
      ],
    };
  }
}
