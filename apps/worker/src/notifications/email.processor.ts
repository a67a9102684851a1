import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { UnrecoverableError, type Job } from 'bullmq';
import { CommuneDirectory, CommuneRegistry, toSnapshot, type CommuneSnapshot } from '@gemeng/communes';
import { communeOrigin, RequestContext, type GemengConfig } from '@gemeng/core';
import {
  EmailRenderError,
  isPermanentSmtpError,
  messageIdFor,
  NotificationDeliveryService,
  parseNotificationJob,
  senderAddress,
  type EmailNotification,
  type EmailRenderer,
  type MailTransport,
  type NotificationJob,
  type SentEmail,
} from '@gemeng/notifications';
import { GEMENG_CONFIG } from '@gemeng/platform';
import { QueueRegistry } from '../queue';
import { EMAIL_RENDERER, MAIL_TRANSPORT, NOTIFICATIONS_QUEUE } from './notification-queue';

/** What a completed job returns (kept with the job in the queue, for inspection). */
export interface EmailJobResult {
  messageId: string | null;
  /** True when an earlier attempt had sent it already and nothing was sent this time. */
  duplicate: boolean;
}

/**
 * Sends the e-mail of one outbox row per job. The job names only the commune and the row; the
 * processor rebuilds the commune's context, reads the row in the commune's schema, renders and sends
 * it, and records the delivery in the same transaction (see NotificationDeliveryService.deliver).
 */
@Injectable()
export class EmailProcessor implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Notifications');

  constructor(
    private readonly queues: QueueRegistry,
    private readonly deliveries: NotificationDeliveryService,
    private readonly directory: CommuneDirectory,
    private readonly registry: CommuneRegistry,
    @Inject(MAIL_TRANSPORT) private readonly transport: MailTransport,
    @Inject(EMAIL_RENDERER) private readonly renderer: EmailRenderer,
    @Inject(GEMENG_CONFIG) private readonly config: GemengConfig,
  ) {}

  onModuleInit(): void {
    // Each e-mail being sent holds a pooled connection (its row stays locked until the delivery is
    // recorded); the relay and the status queries need one too.
    const concurrency = Math.max(1, Math.min(this.config.notifications.concurrency, this.config.poolSize - 1));
    if (concurrency < this.config.notifications.concurrency) {
      this.logger.warn(
        `Sending ${concurrency} e-mail(s) at once, not ${this.config.notifications.concurrency}: ` +
          `NOTIFICATION_CONCURRENCY must stay below DATABASE_POOL_SIZE (${this.config.poolSize})`,
      );
    }
    const worker = this.queues.process<NotificationJob, EmailJobResult>(
      NOTIFICATIONS_QUEUE,
      (job) => this.process(job),
      {
        concurrency,
        lockDuration: this.config.queue.lockMs,
        stalledInterval: this.config.queue.stalledIntervalMs,
      },
    );
    worker.on('failed', (job, error) => {
      if (job?.finishedOn) void this.abandoned(job, error);
    });
  }

  /** The transport closes after the workers, which finish their active jobs first. */
  onApplicationShutdown(): void {
    this.transport.close();
  }

  /** Delivers the outbox row a job names; a job that names nothing valid fails at once, without retries. */
  async process(job: Job<NotificationJob>): Promise<EmailJobResult> {
    const data = parseNotificationJob(job.data);
    if (!data) throw new UnrecoverableError(`Job ${job.id} does not name a commune and an outbox row`);
    const commune = await this.commune(data.commune);
    if (!commune) throw new UnrecoverableError(`No commune "${data.commune}"`);
    const attempt = job.attemptsMade + 1;
    const outcome = await this.deliveries.deliver(
      RequestContext.forCommune(commune),
      data.outboxId,
      {
        attempt,
        last: attempt >= (job.opts.attempts ?? 1),
        isPermanent: (error) => error instanceof EmailRenderError || isPermanentSmtpError(error),
      },
      (email) => this.send(commune, data.outboxId, email),
    );
    switch (outcome.kind) {
      case 'sent':
        return { messageId: outcome.messageId, duplicate: false };
      case 'already-sent':
        return { messageId: outcome.messageId, duplicate: true };
      case 'missing':
        throw new UnrecoverableError(`No outbox row ${data.outboxId} in commune "${data.commune}"`);
      case 'gave-up':
        throw new UnrecoverableError(`Recorded as failed by an earlier attempt: ${outcome.error}`);
      default:
        this.logger.error(
          `Notification ${data.outboxId} of ${data.commune} failed for good after ${attempt} attempt(s): ${outcome.error}`,
        );
        throw new UnrecoverableError(outcome.error);
    }
  }

  /**
   * A commune by slug: from the in-memory directory, or from the register for one onboarded a moment
   * ago that the directory has not heard of yet.
   */
  private async commune(slug: string): Promise<CommuneSnapshot | undefined> {
    const known = this.directory.bySlug(slug);
    if (known) return known;
    const entity = await this.registry.findBySlug(slug);
    return entity ? toSnapshot(entity) : undefined;
  }

  private async send(commune: CommuneSnapshot, outboxId: string, email: EmailNotification): Promise<SentEmail> {
    const rendered = this.renderer.render(email, commune, communeOrigin(this.config, commune.slug));
    return this.transport.send({
      commune: commune.slug,
      key: `${outboxId.padStart(10, '0')}-${email.template}`,
      from: { name: rendered.communeName, address: senderAddress(this.config.mail.from) },
      to: { name: email.to.name || undefined, address: email.to.email },
      subject: rendered.subject,
      html: rendered.html,
      text: rendered.text,
      messageId: messageIdFor(commune.slug, outboxId, this.config.baseDomain),
    });
  }

  /**
   * A job that ended failed without the processor recording it (its workers kept dying while it ran,
   * so it stalled once too often) is recorded as failed here, so that it shows in the status.
   */
  private async abandoned(job: Job<NotificationJob>, error: Error): Promise<void> {
    const data = parseNotificationJob(job.data);
    if (!data) return;
    try {
      const commune = await this.commune(data.commune);
      if (!commune) return;
      const recorded = await this.deliveries.recordAbandoned(
        RequestContext.forCommune(commune),
        data.outboxId,
        job.attemptsMade,
        error.message,
      );
      if (recorded) {
        this.logger.error(`Notification ${data.outboxId} of ${data.commune} was abandoned: ${error.message}`);
      }
    } catch (failure) {
      this.logger.error(
        `Could not record notification ${data.outboxId} of ${data.commune} as failed: ${failure instanceof Error ? failure.message : String(failure)}`,
      );
    }
  }
}
