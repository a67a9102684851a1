import type { INestApplicationContext } from '@nestjs/common';
import { CommuneRegistry, toSnapshot, type CommuneEntity } from '@gemeng/communes';
import { RequestContext } from '@gemeng/core';
import { NotificationDeliveryService, type NotificationStatus } from '@gemeng/notifications';
import { UsageError } from '../usage';
import { table, type Output } from '../output';

const OUTBOX_ID = /^[1-9]\d{0,18}$/;

/** The communes a command is about: the one of `--commune`, or every commune. */
async function communesFor(app: INestApplicationContext, slug: string | undefined): Promise<CommuneEntity[]> {
  const registry = app.get(CommuneRegistry);
  if (slug) return [await registry.getBySlug(slug)];
  return (await registry.list()).filter((c) => c.status !== 'provisioning');
}

/**
 * `notifications status [--commune <slug>] [--json]`: per commune, the notifications waiting for the
 * relay, in the queue, sent and failed, and each failed one with its error. Exits with 0 whatever
 * the counts, so that it can be run any time; monitoring reads `--json`.
 */
export async function notificationsStatus(
  app: INestApplicationContext,
  out: Output,
  flags: { commune?: string; json?: boolean },
): Promise<number> {
  const deliveries = app.get(NotificationDeliveryService);
  const report: { slug: string; status: NotificationStatus }[] = [];
  for (const commune of await communesFor(app, flags.commune)) {
    report.push({
      slug: commune.slug,
      status: await deliveries.status(RequestContext.forCommune(toSnapshot(commune))),
    });
  }
  if (flags.json) {
    out.line(
      JSON.stringify(
        report.map((r) => ({ commune: r.slug, ...r.status })),
        null,
        2,
      ),
    );
    return 0;
  }
  if (!report.length) {
    out.line('No communes.');
    return 0;
  }
  const rows = [
    ['COMMUNE', 'PENDING', 'QUEUED', 'SENT', 'FAILED', 'OLDEST UNSENT'],
    ...report.map(({ slug, status }) => [
      slug,
      String(status.pending),
      String(status.queued),
      String(status.sent),
      String(status.failed),
      status.oldestWaitingSince ? status.oldestWaitingSince.toISOString() : '-',
    ]),
  ];
  table(rows).forEach((r) => out.line(r));
  const failures = report.flatMap(({ slug, status }) => status.failures.map((f) => ({ slug, ...f })));
  if (failures.length) {
    out.line('');
    out.line('Failed:');
    for (const f of failures) {
      out.line(
        `  ${f.slug} #${f.outboxId} ${f.template} to ${f.to}, ${f.attempts} attempt(s), ${f.failedAt.toISOString()}: ${f.error}`,
      );
    }
    const shown = new Set(failures.map((f) => f.slug));
    for (const { slug, status } of report) {
      if (shown.has(slug) && status.failed > status.failures.length) {
        out.line(`  ${slug}: ${status.failed - status.failures.length} more not shown`);
      }
    }
    out.line(`Send them again with: notifications retry --commune <slug> [<outbox id>...]`);
  }
  return 0;
}

/**
 * `notifications retry --commune <slug> [<outbox id>...]`: sends the commune's failed notifications
 * again (all, or those given). Exits with 1 if a given id is not a failed notification.
 */
export async function retryNotifications(
  app: INestApplicationContext,
  out: Output,
  ids: string[],
  flags: { commune?: string },
): Promise<number> {
  if (!flags.commune) throw new UsageError('notifications retry needs --commune <slug>');
  const malformed = ids.filter((id) => !OUTBOX_ID.test(id));
  if (malformed.length) throw new UsageError(`Not an outbox id: ${malformed.join(', ')}`);
  const commune = await app.get(CommuneRegistry).getBySlug(flags.commune);
  const { retried, notFailed } = await app
    .get(NotificationDeliveryService)
    .retryFailed(RequestContext.forCommune(toSnapshot(commune)), ids.length ? ids : undefined);
  out.line(
    retried.length
      ? `${commune.slug}: ${retried.length} notification(s) queued again: ${retried.map((id) => `#${id}`).join(', ')}`
      : `${commune.slug}: no failed notification to send again`,
  );
  for (const id of notFailed) out.error(`${commune.slug} #${id}: not a failed notification`);
  return notFailed.length ? 1 : 0;
}
