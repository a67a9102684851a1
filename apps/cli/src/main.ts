import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { NestFactory } from '@nestjs/core';
import { loadConfig } from '@gemeng/core';
import { migratePlatform } from '@gemeng/database';
import { PLATFORM_MIGRATIONS, prepareDatabase } from '@gemeng/platform';
import { DataSource } from 'typeorm';
import { CliModule } from './cli.module';
import {
  listCommunes,
  migrateCommunes,
  onboardCommunes,
  recordPopulation,
  resumeCommune,
  suspendCommune,
  updateCommune,
} from './commands/tenants.commands';
import type { Output } from './output';
import { notificationsStatus, retryNotifications } from './commands/notifications.commands';
import { BILLING_COMMANDS, billingCommand } from './commands/billing.commands';
import { describeError } from './describe-error';
import { USAGE, UsageError } from './usage';

const out: Output = { line: (text) => console.log(text), error: (text) => console.error(text) };

const OPTIONS = {
  all: { type: 'boolean' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  status: { type: 'string' },
  reason: { type: 'string' },
  concurrency: { type: 'string' },
  date: { type: 'string' },
  inhabitants: { type: 'string' },
  source: { type: 'string' },
  commune: { type: 'string' },
  preview: { type: 'boolean' },
  year: { type: 'string' },
  kind: { type: 'string' },
  reference: { type: 'string' },
  default: { type: 'boolean' },
  from: { type: 'string' },
  cents: { type: 'string' },
  vat: { type: 'string' },
  vatex: { type: 'string' },
  'vatex-reason': { type: 'string' },
  csv: { type: 'boolean' },
  out: { type: 'string' },
} as const;

async function run(argv: string[]): Promise<number> {
  const { values: flags, positionals } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true });
  const [group, command, ...rest] = positionals;
  if (flags.help || !group) {
    out.line(USAGE);
    return group || flags.help ? 0 : 2;
  }
  const known: Record<string, string[]> = {
    tenants: ['list', 'onboard', 'update', 'migrate', 'suspend', 'resume', 'population'],
    platform: ['migrate'],
    notifications: ['status', 'retry'],
    billing: BILLING_COMMANDS,
  };
  if (!known[group]?.includes(command))
    throw new UsageError(`Unknown command: ${[group, command].filter(Boolean).join(' ')}`);

  const config = loadConfig();
  const database = await prepareDatabase(config, (line) => out.error(line));
  // Interrupted: stop the embedded server this command may have started; migrations are resumable.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void database.stop().finally(() => process.exit(130)));
  }
  const app = await NestFactory.createApplicationContext(
    CliModule.forRoot({ config, databaseUrl: database.url, applicationName: 'gemeng-cli' }),
    { logger: ['error', 'warn'] },
  );
  try {
    const platform = await migratePlatform(app.get(DataSource), PLATFORM_MIGRATIONS, (line) => out.line(line));
    if (group === 'notifications') {
      return command === 'status'
        ? await notificationsStatus(app, out, flags)
        : await retryNotifications(app, out, rest, flags);
    }
    if (group === 'billing') return await billingCommand(app, out, command, rest, flags);
    if (group === 'platform') {
      out.line(
        `Platform schema: ${platform.applied.length} migration(s) applied, ${platform.alreadyApplied} already there`,
      );
      return 0;
    }
    switch (command) {
      case 'list':
        return await listCommunes(app, out, config, flags);
      case 'onboard':
        return await onboardCommunes(app, out, rest);
      case 'update':
        return await updateCommune(app, out, rest);
      case 'migrate':
        return await migrateCommunes(app, out, config, rest, flags);
      case 'suspend':
        return await suspendCommune(app, out, rest, flags);
      case 'resume':
        return await resumeCommune(app, out, rest);
      default:
        return await recordPopulation(app, out, rest, flags);
    }
  } finally {
    await app.close();
    await database.stop();
  }
}

run(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      out.error(`${(error as Error).message}\n\n${USAGE}`);
      process.exit(2);
    }
    describeError(error).forEach((line) => out.error(line));
    process.exit(1);
  },
);
