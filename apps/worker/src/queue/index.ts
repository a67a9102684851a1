export * from './queue-connection';
export * from './queue-registry.service';
export * from './queue.constants';
export * from './queue.module';
