import { Inject, Injectable } from '@nestjs/common';
import { migrateTenant, TenantMigrationError, type SqlMigration } from '@gemeng/database';
import { DataSource } from 'typeorm';
import { toSnapshot } from './commune-snapshot';
import { CommuneRegistry } from './commune-registry.service';
import { TENANT_MIGRATIONS } from './tokens';

export interface CommuneMigrationOutcome {
  slug: string;
  applied: string[];
  ms: number;
  error?: string;
}

export interface MigrateAllReport {
  communes: CommuneMigrationOutcome[];
  failed: number;
  ms: number;
}

/**
 * Brings every onboarded commune's schema to the latest tenant migration, a few communes at a time.
 * A commune that fails is reported and does not stop the others; running again resumes where each
 * commune stands.
 */
@Injectable()
export class TenantMigrationService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly registry: CommuneRegistry,
    @Inject(TENANT_MIGRATIONS) private readonly migrations: readonly SqlMigration[],
  ) {}

  async migrateAll(options: {
    concurrency: number;
    slugs?: string[];
    onCommune?: (outcome: CommuneMigrationOutcome, done: number, total: number) => void;
  }): Promise<MigrateAllReport> {
    const started = performance.now();
    const communes = (await this.registry.list()).filter(
      (c) => c.status !== 'provisioning' && (!options.slugs || options.slugs.includes(c.slug)),
    );
    const outcomes: CommuneMigrationOutcome[] = [];
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < communes.length) {
        const commune = communes[next++];
        const t0 = performance.now();
        let outcome: CommuneMigrationOutcome;
        try {
          const report = await migrateTenant(this.dataSource, toSnapshot(commune), this.migrations);
          outcome = { slug: commune.slug, applied: report.applied, ms: performance.now() - t0 };
        } catch (error) {
          const applied = error instanceof TenantMigrationError ? error.applied : [];
          outcome = { slug: commune.slug, applied, ms: performance.now() - t0, error: (error as Error).message };
        }
        outcomes.push(outcome);
        options.onCommune?.(outcome, outcomes.length, communes.length);
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency, communes.length)) }, worker));
    outcomes.sort((a, b) => a.slug.localeCompare(b.slug));
    return { communes: outcomes, failed: outcomes.filter((o) => o.error).length, ms: performance.now() - started };
  }
}
