import { Module } from '@nestjs/common';
import { OutboxService } from './services/outbox.service';

/** The producer side of notifications, for the API: the outbox. The worker adds the relay and senders. */
@Module({ providers: [OutboxService], exports: [OutboxService] })
export class NotificationsModule {}
