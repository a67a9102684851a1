import type { GemengConfig } from '@gemeng/core';
import type { JobsOptions } from 'bullmq';

/** The queue of e-mails to send: one job per outbox row and hand-over. */
export const NOTIFICATIONS_QUEUE = 'notifications';
export const EMAIL_JOB = 'email';

/** Injection tokens of what the worker builds from the configuration. */
export const MAIL_TRANSPORT = Symbol('MAIL_TRANSPORT');
export const EMAIL_RENDERER = Symbol('EMAIL_RENDERER');

const DAY_SECONDS = 24 * 3600;

/**
 * Options of every notification job: retried with exponential backoff (backoff, 2 x backoff, 4 x ...)
 * and then failed. Finished jobs are kept a while for inspection; the lasting record of what became of
 * a notification is in the commune's `notification_delivery` table, not in the queue.
 */
export function notificationJobOptions(config: Pick<GemengConfig, 'notifications'>, jobId: string): JobsOptions {
  return {
    jobId,
    attempts: config.notifications.attempts,
    backoff: { type: 'exponential', delay: config.notifications.backoffMs },
    removeOnComplete: { age: DAY_SECONDS, count: 10_000 },
    removeOnFail: { age: 30 * DAY_SECONDS },
  };
}
