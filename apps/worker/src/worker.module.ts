import { Module, type DynamicModule } from '@nestjs/common';
import type { GemengConfig } from '@gemeng/core';
import { PlatformModule } from '@gemeng/platform';
import { QueueModule, queueConnectionFor } from './queue';

export const WORKER_APPLICATION_NAME = 'gemeng-worker';

export interface WorkerModuleOptions {
  config: GemengConfig;
  /** Connection string of the application's login role. */
  databaseUrl: string;
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
        }),
      ],
    };
  }
}
