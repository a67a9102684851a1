import { Module } from '@nestjs/common';
import { LiveEvents } from './live-events.service';

@Module({ providers: [LiveEvents], exports: [LiveEvents] })
export class LiveModule {}
