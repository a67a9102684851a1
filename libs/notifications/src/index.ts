export * from './entities/outbox-message.entity';
export * from './migrations';
export * from './notification';
export * from './notifications.module';
export * from './services/outbox.service';
