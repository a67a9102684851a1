import { Injectable } from '@nestjs/common';
import type { RequestContext } from '@gemeng/core';
import { TenantTransactions } from '@gemeng/database';
import type { EmailNotification } from '../notification';

/** The producer side of the notification pipeline. */
@Injectable()
export class OutboxService {
  constructor(private readonly transactions: TenantTransactions) {}

  /**
   * Writes e-mails to the commune's outbox in the context's transaction: they go out if, and only if,
   * the change they tell about commits.
   */
  async enqueue(ctx: RequestContext, ...emails: EmailNotification[]): Promise<void> {
    if (!emails.length) return;
    await this.transactions.run(ctx, (manager) =>
      manager.query(
        `INSERT INTO outbox (kind, payload) SELECT 'email', e FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS t (e, n) ORDER BY n`,
        [JSON.stringify(emails)],
      ),
    );
  }
}
