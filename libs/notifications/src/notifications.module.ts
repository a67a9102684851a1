import { Module } from '@nestjs/common';
import { NotificationDeliveryService } from './services/notification-delivery.service';
import { OutboxService } from './services/outbox.service';

/**
 * The notification pipeline's storage: the outbox (written by every context, read by the relay) and
 * the delivery records (written by the worker, read by the status and retry commands). The worker adds
 * the relay, the processor, the renderer and the mail transport.
 */
@Module({
  providers: [OutboxService, NotificationDeliveryService],
  exports: [OutboxService, NotificationDeliveryService],
})
export class NotificationsModule {}
