import { readFile } from 'node:fs/promises';
import type { INestApplicationContext } from '@nestjs/common';
import {
  CommuneRegistry,
  OnboardingService,
  parseCommuneYaml,
  TenantMigrationService,
  type CommuneEntity,
  type CommuneStatus,
} from '@gemeng/communes';
import type { GemengConfig } from '@gemeng/core';
import { describeError } from '../describe-error';
import { UsageError } from '../usage';
import { table, type Output } from '../output';

const STATUSES: CommuneStatus[] = ['provisioning', 'active', 'suspended'];

function hosts(commune: CommuneEntity, baseDomain: string): string {
  return commune.domains
    .map((d) => (d.kind === 'subdomain' ? `${d.host}.${baseDomain}` : d.host))
    .sort()
    .join(', ');
}

export async function listCommunes(
  app: INestApplicationContext,
  out: Output,
  config: GemengConfig,
  flags: { status?: string; json?: boolean },
): Promise<number> {
  if (flags.status && !STATUSES.includes(flags.status as CommuneStatus)) {
    throw new UsageError(`--status must be one of ${STATUSES.join(', ')}`);
  }
  const communes = await app.get(CommuneRegistry).list(flags.status as CommuneStatus | undefined);
  if (flags.json) {
    out.line(
      JSON.stringify(
        communes.map((c) => ({ slug: c.slug, status: c.status, hosts: hosts(c, config.baseDomain).split(', ') })),
        null,
        2,
      ),
    );
    return 0;
  }
  if (!communes.length) {
    out.line('No communes.');
    return 0;
  }
  const rows = [
    ['SLUG', 'STATUS', 'NAME', 'HOSTS'],
    ...communes.map((c) => [c.slug, c.status, c.names[c.defaultLocale] ?? '', hosts(c, config.baseDomain)]),
  ];
  table(rows).forEach((r) => out.line(r));
  out.line(`${communes.length} commune(s)`);
  return 0;
}

export async function onboardCommunes(app: INestApplicationContext, out: Output, files: string[]): Promise<number> {
  if (!files.length) throw new UsageError('tenants onboard needs at least one definition file');
  const onboarding = app.get(OnboardingService);
  let failed = 0;
  for (const file of files) {
    try {
      const definition = parseCommuneYaml(await readFile(file, 'utf8'), file);
      out.line(`${definition.slug}: onboarding from ${file}`);
      const result = await onboarding.onboard(definition, { onStep: (step) => out.line(`  ${step}`) });
      out.line(
        `${definition.slug}: ${result.resumed ? 'onboarding completed (resumed)' : 'onboarded'} in ${Math.round(result.ms)} ms, ` +
          `${result.migrationsApplied} tenant migration(s) applied`,
      );
    } catch (error) {
      failed++;
      const [first, ...more] = describeError(error);
      out.error(first.startsWith(file) ? first : `${file}: ${first}`);
      more.forEach((line) => out.error(line));
    }
  }
  if (files.length > 1) out.line(`${files.length - failed} onboarded, ${failed} failed`);
  return failed ? 1 : 0;
}

export async function updateCommune(app: INestApplicationContext, out: Output, files: string[]): Promise<number> {
  if (files.length !== 1) throw new UsageError('tenants update takes one definition file');
  const definition = parseCommuneYaml(await readFile(files[0], 'utf8'), files[0]);
  const price = definition.pricePerInhabitantCents;
  await app.get(CommuneRegistry).update(definition.slug, {
    names: definition.names,
    locales: { enabled: definition.enabledLocales, default: definition.defaultLocale },
    theme: { ...definition.theme },
    contact: { ...definition.contact },
    customDomains: definition.customDomains,
    pricePerInhabitant: price === null ? null : (price / 100).toFixed(2),
    ...(definition.billing ? { billing: { ...definition.billing } } : {}),
  });
  out.line(`${definition.slug}: updated from ${files[0]}`);
  return 0;
}

export async function migrateCommunes(
  app: INestApplicationContext,
  out: Output,
  config: GemengConfig,
  slugs: string[],
  flags: { all?: boolean; concurrency?: string },
): Promise<number> {
  if (Boolean(flags.all) === Boolean(slugs.length))
    throw new UsageError('tenants migrate takes either --all or one or more slugs');
  const concurrency = flags.concurrency ? Number(flags.concurrency) : config.migrationConcurrency;
  if (!Number.isInteger(concurrency) || concurrency < 1)
    throw new UsageError('--concurrency must be a whole number of at least 1');
  const report = await app.get(TenantMigrationService).migrateAll({
    concurrency,
    slugs: flags.all ? undefined : slugs,
    onCommune: (outcome, done, total) => {
      const what = outcome.error
        ? `FAILED: ${outcome.error}`
        : outcome.applied.length
          ? `applied ${outcome.applied.join(', ')}`
          : 'up to date';
      out.line(
        `[${String(done).padStart(String(total).length)}/${total}] ${outcome.slug}: ${what} (${Math.round(outcome.ms)} ms)`,
      );
    },
  });
  const missing = flags.all ? [] : slugs.filter((s) => !report.communes.some((c) => c.slug === s));
  for (const slug of missing) out.error(`${slug}: no onboarded commune with this slug`);
  const applied = report.communes.reduce((n, c) => n + c.applied.length, 0);
  const changed = report.communes.filter((c) => c.applied.length).length;
  out.line(
    `Summary: ${report.communes.length} commune(s) in ${(report.ms / 1000).toFixed(1)} s; ` +
      `${applied} migration(s) applied to ${changed} commune(s); ${report.failed} failed`,
  );
  return report.failed || missing.length ? 1 : 0;
}

export async function suspendCommune(
  app: INestApplicationContext,
  out: Output,
  slugs: string[],
  flags: { reason?: string },
): Promise<number> {
  if (slugs.length !== 1) throw new UsageError('tenants suspend takes one slug');
  if (!flags.reason) throw new UsageError('tenants suspend needs --reason "<why>"');
  const commune = await app.get(CommuneRegistry).suspend(slugs[0], flags.reason);
  out.line(`${commune.slug}: ${commune.status} (${commune.statusReason})`);
  return 0;
}

export async function resumeCommune(app: INestApplicationContext, out: Output, slugs: string[]): Promise<number> {
  if (slugs.length !== 1) throw new UsageError('tenants resume takes one slug');
  const commune = await app.get(CommuneRegistry).resume(slugs[0]);
  out.line(`${commune.slug}: ${commune.status}`);
  return 0;
}

export async function recordPopulation(
  app: INestApplicationContext,
  out: Output,
  slugs: string[],
  flags: { date?: string; inhabitants?: string; source?: string },
): Promise<number> {
  if (slugs.length !== 1 || !flags.date || !flags.inhabitants || !flags.source) {
    throw new UsageError('tenants population takes a slug, --date, --inhabitants and --source');
  }
  const inhabitants = Number(flags.inhabitants);
  const record = await app.get(CommuneRegistry).recordPopulation(slugs[0], {
    referenceDate: flags.date,
    inhabitants,
    source: flags.source,
  });
  out.line(`${slugs[0]}: ${record.inhabitants} inhabitants at ${record.referenceDate} (${record.source})`);
  return 0;
}
