export * from './live-events.service';
export * from './live.module';
