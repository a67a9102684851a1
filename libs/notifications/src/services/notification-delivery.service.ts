import { Injectable } from '@nestjs/common';
import type { RequestContext } from '@gemeng/core';
import { TenantTransactions } from '@gemeng/database';
import type { SentEmail } from '../delivery/mail-transport';
import type { EmailNotification, EmailTemplate } from '../notification';

/** What became of one attempt to deliver an outbox row. */
export type DeliveryOutcome =
  | { kind: 'sent'; messageId: string }
  /** An earlier attempt sent it already: nothing was sent this time. */
  | { kind: 'already-sent'; messageId: string | null }
  /** This attempt failed for good (a permanent error, or the last attempt): recorded as failed. */
  | { kind: 'failed'; error: string }
  /** An earlier attempt recorded it as failed; it is sent again only after a retry. */
  | { kind: 'gave-up'; error: string }
  /** No such outbox row in this commune. */
  | { kind: 'missing' };

export interface DeliveryAttempt {
  /** This attempt's number, from 1. */
  attempt: number;
  /** No attempt follows this one if it fails. */
  last: boolean;
  /** True for an error that no later attempt could cure (a refused recipient, unrenderable data). */
  isPermanent(error: unknown): boolean;
}

/** Per commune: where its notifications are. */
export interface NotificationCounts {
  /** Written, not yet handed to the queue. */
  pending: number;
  /** In the queue, not yet sent. */
  queued: number;
  sent: number;
  failed: number;
  /** When the oldest notification that is neither sent nor failed was written. */
  oldestWaitingSince: Date | null;
}

export interface FailedNotification {
  outboxId: string;
  template: EmailTemplate;
  to: string;
  attempts: number;
  error: string;
  failedAt: Date;
}

export interface NotificationStatus extends NotificationCounts {
  /** The failed ones, oldest first, at most `limit`. */
  failures: FailedNotification[];
}

/** Errors are kept for people to read; a multi-kilobyte stack would only bury the reason. */
const MAX_ERROR_LENGTH = 1000;

function describe(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.length > MAX_ERROR_LENGTH ? `${text.slice(0, MAX_ERROR_LENGTH)}…` : text;
}

/**
 * The consumer side of the outbox: delivers each row at most once, records what became of it in
 * `notification_delivery` (the idempotency record), reports and retries failures.
 */
@Injectable()
export class NotificationDeliveryService {
  constructor(private readonly transactions: TenantTransactions) {}

  /**
   * Delivers one outbox row of the context's commune with `send`, unless it was sent already. The row
   * is locked for the whole attempt, so two workers holding the same job (one of them presumed dead)
   * take turns, and the second sees the first one's record. `sent` is recorded in the same transaction
   * as the lock; the one window left is a sender that dies after the SMTP server accepted the message
   * and before that commit: the next attempt sends again, with the same Message-ID.
   *
   * A temporary error on an attempt that is not the last is thrown (nothing recorded: the job is
   * retried); a permanent one, or any error on the last attempt, is recorded as `failed`.
   */
  async deliver(
    ctx: RequestContext,
    outboxId: string,
    attempt: DeliveryAttempt,
    send: (email: EmailNotification) => Promise<SentEmail>,
  ): Promise<DeliveryOutcome> {
    return this.transactions.run(ctx, async (manager) => {
      const [row]: {
        payload: EmailNotification;
        status: 'sent' | 'failed' | null;
        message_id: string | null;
        last_error: string | null;
      }[] = await manager.query(
        `SELECT o.payload, d.status, d.message_id, d.last_error
           FROM outbox o LEFT JOIN notification_delivery d ON d.outbox_id = o.id
          WHERE o.id = $1 FOR UPDATE OF o`,
        [outboxId],
      );
      if (!row) return { kind: 'missing' };
      if (row.status === 'sent') return { kind: 'already-sent', messageId: row.message_id };
      if (row.status === 'failed') return { kind: 'gave-up', error: row.last_error ?? '' };
      let sent: SentEmail;
      try {
        sent = await send(row.payload);
      } catch (error) {
        if (!attempt.last && !attempt.isPermanent(error)) throw error;
        const message = describe(error);
        await manager.query(
          `INSERT INTO notification_delivery (outbox_id, status, attempts, last_error) VALUES ($1, 'failed', $2, $3)`,
          [outboxId, attempt.attempt, message],
        );
        return { kind: 'failed', error: message };
      }
      await manager.query(
        `INSERT INTO notification_delivery (outbox_id, status, attempts, message_id) VALUES ($1, 'sent', $2, $3)`,
        [outboxId, attempt.attempt, sent.messageId],
      );
      return { kind: 'sent', messageId: sent.messageId };
    });
  }

  /**
   * Records a notification as failed when its job ended without the processor saying so (a job that
   * kept stalling because its workers died). Does nothing if the row is already sent or failed.
   */
  async recordAbandoned(ctx: RequestContext, outboxId: string, attempts: number, error: string): Promise<boolean> {
    return this.transactions.run(ctx, async (manager) => {
      const inserted: unknown[] = await manager.query(
        `INSERT INTO notification_delivery (outbox_id, status, attempts, last_error)
         SELECT id, 'failed', $2, $3 FROM outbox WHERE id = $1
         ON CONFLICT (outbox_id) DO NOTHING RETURNING outbox_id`,
        [outboxId, attempts, describe(error)],
      );
      return inserted.length > 0;
    });
  }

  /** Counts of the commune's notifications by state, and the failed ones with their error. */
  async status(ctx: RequestContext, limit = 50): Promise<NotificationStatus> {
    return this.transactions.run(ctx, async (manager) => {
      const [counts]: Record<string, string | Date | null>[] = await manager.query(
        `SELECT count(*) FILTER (WHERE o.relayed_at IS NULL) AS pending,
                count(*) FILTER (WHERE o.relayed_at IS NOT NULL AND d.outbox_id IS NULL) AS queued,
                count(*) FILTER (WHERE d.status = 'sent') AS sent,
                count(*) FILTER (WHERE d.status = 'failed') AS failed,
                min(o.created_at) FILTER (WHERE d.outbox_id IS NULL) AS oldest
           FROM outbox o LEFT JOIN notification_delivery d ON d.outbox_id = o.id`,
      );
      const failures: {
        id: string;
        template: EmailTemplate;
        email: string;
        attempts: number;
        last_error: string | null;
        updated_at: Date;
      }[] = await manager.query(
        `SELECT o.id, o.payload->>'template' AS template, o.payload->'to'->>'email' AS email,
                d.attempts, d.last_error, d.updated_at
           FROM notification_delivery d JOIN outbox o ON o.id = d.outbox_id
          WHERE d.status = 'failed' ORDER BY o.id LIMIT $1`,
        [limit],
      );
      return {
        pending: Number(counts.pending),
        queued: Number(counts.queued),
        sent: Number(counts.sent),
        failed: Number(counts.failed),
        oldestWaitingSince: (counts.oldest as Date | null) ?? null,
        failures: failures.map((f) => ({
          outboxId: f.id,
          template: f.template,
          to: f.email,
          attempts: f.attempts,
          error: f.last_error ?? '',
          failedAt: f.updated_at,
        })),
      };
    });
  }

  /**
   * Sends failed notifications again: all of the commune's, or those of `outboxIds`. Their failure
   * record is removed and they go back to the relay, which hands them to the queue as new jobs.
   * Returns the ids queued again and, of those asked for, the ones that had not failed.
   */
  async retryFailed(ctx: RequestContext, outboxIds?: string[]): Promise<{ retried: string[]; notFailed: string[] }> {
    return this.transactions.run(ctx, async (manager) => {
      // One statement, and a SELECT: TypeORM returns a DELETE's or UPDATE's RETURNING rows in another shape.
      const requeued: { id: string }[] = await manager.query(
        `WITH removed AS (
           DELETE FROM notification_delivery
            WHERE status = 'failed' AND ($1::bigint[] IS NULL OR outbox_id = ANY($1::bigint[]))
            RETURNING outbox_id
         ), requeued AS (
           UPDATE outbox SET relayed_at = NULL FROM removed WHERE outbox.id = removed.outbox_id RETURNING outbox.id
         )
         SELECT id FROM requeued ORDER BY id`,
        [outboxIds ?? null],
      );
      const retried = requeued.map((r) => r.id);
      // The outbox trigger wakes the relay on INSERT only; these rows were updated.
      if (retried.length) await manager.query(`SELECT pg_notify('gemeng_outbox', current_schema())`);
      const notFailed = (outboxIds ?? []).filter((id) => !retried.includes(id));
      return { retried, notFailed };
    });
  }
}
