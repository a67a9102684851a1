import { Global, Module, type DynamicModule } from '@nestjs/common';
import { QUEUE_MODULE_OPTIONS } from './queue.constants';
import { QueueRegistry, type QueueModuleOptions } from './queue-registry.service';

/**
 * BullMQ for the whole process, on Redis or on PostgreSQL. A small module of our own because
 * @nestjs/bullmq accepts only Redis connection options.
 */
@Global()
@Module({})
export class QueueModule {
  static forRoot(options: QueueModuleOptions): DynamicModule {
    return {
      module: QueueModule,
      providers: [{ provide: QUEUE_MODULE_OPTIONS, useValue: options }, QueueRegistry],
      exports: [QueueRegistry],
    };
  }
}
