import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { CommuneDirectory, OnboardingService, TenantMigrationService } from '@gemeng/communes';
import type { GemengConfig } from '@gemeng/core';
import { migratePlatform } from '@gemeng/database';
import { PLATFORM_MIGRATIONS, readTenantDefinitions } from '@gemeng/platform';
import { DataSource } from 'typeorm';
import { ApiModule } from './app.module';

export interface ApiOptions {
  config: GemengConfig;
  databaseUrl: string;
  /** Onboard the communes of this directory that are not on the platform yet (development and demo). */
  onboardFrom?: string;
  log?: (line: string) => void;
  /** Nest's own logging; off in tests. */
  logger?: false;
}

/**
 * Builds the API: platform migrations and the commune directory, then, for a development start with a
 * tenants directory, onboarding of its communes and pending tenant migrations, all before the first
 * request is served.
 */
export async function createApi(options: ApiOptions): Promise<INestApplication> {
  const log = options.log ?? (() => undefined);
  const app = await NestFactory.create<NestExpressApplication>(
    ApiModule.forRoot({ config: options.config, databaseUrl: options.databaseUrl, applicationName: 'gemeng-api' }),
    { logger: options.logger === false ? false : ['error', 'warn'], abortOnError: false },
  );
  app.disable('x-powered-by');
  // Module init hooks (seeders registering themselves) must have run before anything is onboarded.
  await app.init();
  const dataSource = app.get(DataSource);
  const platform = await migratePlatform(dataSource, PLATFORM_MIGRATIONS, log);
  log(`platform schema: ${platform.applied.length} migration(s) applied, ${platform.alreadyApplied} already there`);
  await app.get(CommuneDirectory).start(options.config.baseDomain);
  if (!options.onboardFrom) return app;
  // The development start brings its communes up to date itself. A deployment migrates them once, with
  // `tenants migrate --all` before the rollout, rather than in every API instance at every start.
  const onboarding = app.get(OnboardingService);
  for (const { file, definition } of await readTenantDefinitions(options.onboardFrom)) {
    const result = await onboarding.onboard(definition, { existing: 'skip' });
    if (result.created || result.resumed) {
      log(
        `onboarded ${definition.slug} from ${file} in ${Math.round(result.ms)} ms${result.resumed ? ' (resumed)' : ''}`,
      );
    }
  }
  const tenants = await app
    .get(TenantMigrationService)
    .migrateAll({ concurrency: options.config.migrationConcurrency });
  const applied = tenants.communes.reduce((n, c) => n + c.applied.length, 0);
  log(`commune schemas: ${tenants.communes.length} checked, ${applied} migration(s) applied, ${tenants.failed} failed`);
  for (const failure of tenants.communes.filter((c) => c.error)) log(`  ${failure.slug}: ${failure.error}`);
  return app;
}
