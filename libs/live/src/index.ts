export * from './live-channel';
export * from './live-events.service';
export * from './live-subscription';
export * from './live.module';
