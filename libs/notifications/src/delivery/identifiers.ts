import { SLUG_PATTERN } from '@gemeng/database';

/** What a notification job carries: the commune and the outbox row, never the message itself. */
export interface NotificationJob {
  /** The commune's slug; the processor rebuilds the commune's context from it. */
  commune: string;
  /** The outbox row's id, a bigint as a string. */
  outboxId: string;
}

const OUTBOX_ID = /^[1-9]\d{0,18}$/;

/**
 * The commune slug of a schema name `t_<slug>`, as the outbox trigger notifies it: hyphens are
 * underscores there, and slugs never hold an underscore, so the mapping is one-to-one.
 */
export function slugOfSchema(schema: string): string | undefined {
  if (!schema.startsWith('t_')) return undefined;
  const slug = schema.slice(2).replace(/_/g, '-');
  return SLUG_PATTERN.test(slug) ? slug : undefined;
}

/** The job's data if it is well-formed (a slug and a positive integer id), otherwise undefined. */
export function parseNotificationJob(data: unknown): NotificationJob | undefined {
  const { commune, outboxId } = (data ?? {}) as Record<string, unknown>;
  if (typeof commune !== 'string' || !SLUG_PATTERN.test(commune)) return undefined;
  if (typeof outboxId !== 'string' || !OUTBOX_ID.test(outboxId)) return undefined;
  return { commune, outboxId };
}

/**
 * The BullMQ job id of an outbox row's `round`-th hand-over to the queue: `outbox.<slug>.<id>.<round>`.
 * Deterministic, so that a relay that added the job but could not mark the row (crash, rollback) adds
 * the very same job again, which BullMQ ignores. The round changes only when someone retries a failed
 * notification, which must be a new job. BullMQ refuses custom ids that are integers or contain `:`;
 * slugs have neither dots nor colons, so the dots keep the parts apart.
 */
export function notificationJobId(slug: string, outboxId: string, round: number): string {
  if (!SLUG_PATTERN.test(slug)) throw new Error(`Not a commune slug: "${slug}"`);
  if (!OUTBOX_ID.test(outboxId)) throw new Error(`Not an outbox id: "${outboxId}"`);
  if (!Number.isInteger(round) || round < 1) throw new Error(`Not a relay round: ${round}`);
  return `outbox.${slug}.${outboxId}.${round}`;
}

/**
 * The Message-ID of an outbox row's e-mail, the same at every attempt: if a sender dies after the SMTP
 * server accepted the message but before the delivery was recorded, the second copy carries the same
 * Message-ID, so that it is recognisable as a duplicate (and mail systems that deduplicate drop it).
 */
export function messageIdFor(slug: string, outboxId: string, baseDomain: string): string {
  return `<outbox-${outboxId}.${slug}@${baseDomain}>`;
}
