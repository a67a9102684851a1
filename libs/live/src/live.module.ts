import { Module, type DynamicModule } from '@nestjs/common';
import { LIVE_EVENTS_OPTIONS, LiveEvents, type LiveEventsOptions } from './live-events.service';

/**
 * Live events. An application imports `LiveModule.forRoot(...)` once: it provides LiveEvents to every
 * module (one set of connections per process). Feature modules import `LiveModule` to say they use it;
 * an application that forgot `forRoot` fails at start rather than publishing where nobody listens.
 */
@Module({})
export class LiveModule {
  static forRoot(options: LiveEventsOptions): DynamicModule {
    return {
      module: LiveModule,
      global: true,
      providers: [{ provide: LIVE_EVENTS_OPTIONS, useValue: options }, LiveEvents],
      exports: [LiveEvents],
    };
  }
}
