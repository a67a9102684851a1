import { Inject, Module, type OnModuleInit } from '@nestjs/common';
import { CommuneDirectory, CommunesModule } from '@gemeng/communes';
import type { GemengConfig } from '@gemeng/core';
import { createMailTransport, EmailRenderer, NotificationsModule } from '@gemeng/notifications';
import { GEMENG_CONFIG } from '@gemeng/platform';
import { EmailProcessor } from './email.processor';
import { EMAIL_RENDERER, MAIL_TRANSPORT } from './notification-queue';
import { OutboxRelay } from './outbox-relay.service';

/** The notification pipeline's worker side: the outbox relay and the e-mail processor. */
@Module({
  imports: [CommunesModule, NotificationsModule],
  providers: [
    {
      provide: MAIL_TRANSPORT,
      inject: [GEMENG_CONFIG],
      useFactory: (config: GemengConfig) => {
        // Files are for development: in production an e-mail written to the container's disk reaches nobody.
        if (config.production && !config.mail.smtpUrl) throw new Error('SMTP_URL must be set in production');
        return createMailTransport({
          smtpUrl: config.mail.smtpUrl,
          dir: config.mail.dir,
          connections: config.notifications.concurrency,
        });
      },
    },
    { provide: EMAIL_RENDERER, useFactory: () => new EmailRenderer() },
    EmailProcessor,
    OutboxRelay,
  ],
})
export class NotificationsWorkerModule implements OnModuleInit {
  constructor(
    private readonly directory: CommuneDirectory,
    @Inject(GEMENG_CONFIG) private readonly config: GemengConfig,
  ) {}

  /** The communes are known before the first job runs (workers start consuming at bootstrap). */
  async onModuleInit(): Promise<void> {
    await this.directory.start(this.config.baseDomain);
  }
}
