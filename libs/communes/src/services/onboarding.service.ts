import { Inject, Injectable } from '@nestjs/common';
import { ConflictError, RequestContext } from '@gemeng/core';
import {
  MIGRATION_LOCK_CLASS,
  migrateTenant,
  PG_UNIQUE_VIOLATION,
  quoteIdent,
  sqlState,
  TenantTransactions,
  type SqlMigration,
} from '@gemeng/database';
import { DataSource } from 'typeorm';
import type { CommuneDefinition } from '../definition/commune-definition';
import { CommuneDomainEntity } from '../entities/commune-domain.entity';
import { CommuneEntity } from '../entities/commune.entity';
import { PopulationRecordEntity } from '../entities/population-record.entity';
import { CommuneDirectory } from './commune-directory.service';
import { CommuneRegistry } from './commune-registry.service';
import { toSnapshot } from './commune-snapshot';
import { TenantSeeders } from './tenant-seeders.service';
import { TENANT_MIGRATIONS } from './tokens';

export type OnboardingStep = 'register' | 'role' | 'schema' | 'migrate' | 'seed' | 'activate';

export interface OnboardingResult {
  slug: string;
  /** False when the commune was already fully onboarded and nothing was done. */
  created: boolean;
  resumed: boolean;
  migrationsApplied: number;
  ms: number;
}

const DUPLICATE_OBJECT = '42710';

/**
 * Onboards a commune in one resumable step: register it (status `provisioning`), create its NOLOGIN
 * role and its schema, run the tenant migrations, seed its data, activate it. Every step is idempotent,
 * so an onboarding interrupted at any point is completed by running it again.
 */
@Injectable()
export class OnboardingService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly registry: CommuneRegistry,
    private readonly directory: CommuneDirectory,
    private readonly seeders: TenantSeeders,
    private readonly transactions: TenantTransactions,
    @Inject(TENANT_MIGRATIONS) private readonly migrations: readonly SqlMigration[],
  ) {}

  /**
   * Onboards a commune, or completes an onboarding that was interrupted. A commune that is already
   * onboarded is refused as a duplicate unless `existing: 'skip'`.
   */
  async onboard(
    definition: CommuneDefinition,
    options: { existing?: 'refuse' | 'skip'; onStep?: (step: OnboardingStep) => void } = {},
  ): Promise<OnboardingResult> {
    const started = performance.now();
    const step = options.onStep ?? (() => undefined);
    step('register');
    const { commune, resumed, alreadyDone } = await this.register(definition, options.existing ?? 'refuse');
    if (alreadyDone) {
      return {
        slug: definition.slug,
        created: false,
        resumed: false,
        migrationsApplied: 0,
        ms: performance.now() - started,
      };
    }
    const ref = toSnapshot(commune);
    step('role');
    await this.createRole(ref.role);
    step('schema');
    await this.dataSource.query(
      `CREATE SCHEMA IF NOT EXISTS ${quoteIdent(ref.schema)} AUTHORIZATION ${quoteIdent(ref.role)}`,
    );
    step('migrate');
    const report = await migrateTenant(this.dataSource, ref, this.migrations);
    step('seed');
    const ctx = RequestContext.forCommune(ref, definition.defaultLocale);
    for (const seeder of this.seeders.all()) {
      await this.transactions.run(ctx, () => seeder.seed(ctx, definition));
    }
    step('activate');
    await this.dataSource
      .getRepository(CommuneEntity)
      .update({ id: commune.id, status: 'provisioning' }, { status: 'active', statusReason: null });
    await this.directory.refresh(commune.id);
    return {
      slug: definition.slug,
      created: !resumed,
      resumed,
      migrationsApplied: report.applied.length,
      ms: performance.now() - started,
    };
  }

  /**
   * Writes the commune's platform rows, or finds the ones of an interrupted onboarding. Serialised per
   * slug by an advisory lock so that two operators onboarding the same commune do not race.
   */
  private async register(
    definition: CommuneDefinition,
    existing: 'refuse' | 'skip',
  ): Promise<{ commune: CommuneEntity; resumed: boolean; alreadyDone: boolean }> {
    try {
      return await this.dataSource.transaction(async (manager) => {
        await manager.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [
          MIGRATION_LOCK_CLASS,
          `onboard:${definition.slug}`,
        ]);
        const found = await manager.findOne(CommuneEntity, {
          where: { slug: definition.slug },
          relations: { domains: true },
        });
        if (found && found.status !== 'provisioning') {
          if (existing === 'skip') return { commune: found, resumed: false, alreadyDone: true };
          throw new ConflictError(`A commune "${definition.slug}" is already onboarded (${found.status})`, {
            slug: definition.slug,
          });
        }
        const values = {
          slug: definition.slug,
          status: 'provisioning' as const,
          names: definition.names,
          enabledLocales: definition.enabledLocales,
          defaultLocale: definition.defaultLocale,
          theme: definition.theme,
          contact: definition.contact,
          pricePerInhabitantCents: definition.pricePerInhabitantCents,
          billing: definition.billing,
          joinedOn: definition.joinedOn,
        };
        let id = found?.id;
        if (id) {
          await manager.update(CommuneEntity, { id }, values);
        } else {
          id = (await manager.insert(CommuneEntity, values)).identifiers[0].id as string;
          await manager.insert(CommuneDomainEntity, {
            host: definition.slug,
            communeId: id,
            kind: 'subdomain',
            verifiedAt: new Date(),
          });
        }
        await this.registry.replaceCustomDomains(manager, id, definition.customDomains);
        await manager.delete(PopulationRecordEntity, { communeId: id });
        for (const figure of definition.population) {
          await manager.insert(PopulationRecordEntity, { communeId: id, ...figure });
        }
        const commune = await manager.findOneOrFail(CommuneEntity, { where: { id }, relations: { domains: true } });
        return { commune, resumed: Boolean(found), alreadyDone: false };
      });
    } catch (error) {
      if (sqlState(error) === PG_UNIQUE_VIOLATION) {
        throw new ConflictError(`The slug or a domain of "${definition.slug}" is already taken`, {
          slug: definition.slug,
        });
      }
      throw error;
    }
  }

  private async createRole(role: string): Promise<void> {
    const exists = await this.dataSource.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role]);
    if (!exists.length) {
      try {
        await this.dataSource.query(`CREATE ROLE ${quoteIdent(role)} NOLOGIN NOINHERIT`);
      } catch (error) {
        // Another process created it between the check and here: that is the state we wanted.
        if (sqlState(error) !== DUPLICATE_OBJECT) throw error;
      }
    }
    // The login role reaches the commune's tables only by SET ROLE (it is NOINHERIT), never directly.
    await this.dataSource.query(`GRANT ${quoteIdent(role)} TO CURRENT_USER`);
  }
}
