import { Injectable } from '@nestjs/common';
import type { RequestContext } from '@gemeng/core';
import { TenantTransactions } from '@gemeng/database';
import { emailProblems, type EmailNotification } from '../notification';

/** An outbox row as the relay hands it to the queue. */
export interface RelayedRow {
  id: string;
  /** Which hand-over of this row this is, from 1; part of the job id. */
  round: number;
}

/** The producer side of the notification pipeline, and the relay's access to the outbox. */
@Injectable()
export class OutboxService {
  constructor(private readonly transactions: TenantTransactions) {}

  /**
   * Writes e-mails to the commune's outbox in the context's transaction: they go out if, and only if,
   * the change they tell about commits. An e-mail that could never be rendered (unknown template,
   * missing data, no address) is a fault of the calling code: it is refused here, with the change,
   * rather than failing later in the worker where nobody sees it.
   */
  async enqueue(ctx: RequestContext, ...emails: EmailNotification[]): Promise<void> {
    if (!emails.length) return;
    const problems = emails.flatMap((email, i) =>
      emailProblems(email).map((p) => `emails[${i}].${p.path} ${p.message}`),
    );
    if (problems.length) throw new Error(`An e-mail for the outbox is incomplete: ${problems.join('; ')}`);
    await this.transactions.run(ctx, (manager) =>
      manager.query(
        `INSERT INTO outbox (kind, payload) SELECT 'email', e FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS t (e, n) ORDER BY n`,
        [JSON.stringify(emails)],
      ),
    );
  }

  /**
   * Claims up to `limit` rows that were not handed to the queue yet (skipping rows another relay holds),
   * passes them to `handOver`, and marks them relayed, all in one transaction of the context's commune:
   * if `handOver` fails (queue unreachable), nothing is marked and the rows wait for the next attempt.
   * Returns the number of rows handed over.
   */
  async relayPending(
    ctx: RequestContext,
    limit: number,
    handOver: (rows: RelayedRow[]) => Promise<void>,
  ): Promise<number> {
    return this.transactions.run(ctx, async (manager) => {
      const rows: { id: string; relay_count: number }[] = await manager.query(
        `SELECT id, relay_count FROM outbox WHERE relayed_at IS NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [limit],
      );
      if (!rows.length) return 0;
      await handOver(rows.map((r) => ({ id: r.id, round: r.relay_count + 1 })));
      await manager.query(
        `UPDATE outbox SET relayed_at = now(), relay_count = relay_count + 1 WHERE id = ANY($1::bigint[])`,
        [rows.map((r) => r.id)],
      );
      return rows.length;
    });
  }
}
