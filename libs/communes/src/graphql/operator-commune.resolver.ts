import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Allow } from '@gemeng/core';
import { validateCommuneDefinition } from '../definition/commune-definition';
import { CommuneDefinitionInput, PopulationRecordInput } from '../definition/commune-definition.input';
import type { CommuneEntity } from '../entities/commune.entity';
import { CommuneRegistry, formatCents } from '../services/commune-registry.service';
import { OnboardingService } from '../services/onboarding.service';
import { TenantMigrationService } from '../services/tenant-migration.service';
import { CommuneUpdateInput, SuspensionInput } from './commune-update.input';
import {
  CommuneRecordType,
  CommuneStatusValue,
  DomainKindValue,
  MigrationOutcomeType,
  PopulationRecordType,
} from './commune.types';

function toRecord(commune: CommuneEntity): CommuneRecordType {
  return {
    id: commune.id,
    slug: commune.slug,
    status: commune.status as CommuneStatusValue,
    statusReason: commune.statusReason ?? undefined,
    names: commune.names,
    locales: commune.enabledLocales,
    defaultLocale: commune.defaultLocale,
    theme: commune.theme,
    contact: commune.contact,
    domains: (commune.domains ?? [])
      .map((d) => ({ host: d.host, kind: d.kind as DomainKindValue, verifiedAt: d.verifiedAt ?? undefined }))
      .sort((a, b) => a.host.localeCompare(b.host)),
    pricePerInhabitant: formatCents(commune.pricePerInhabitantCents) ?? undefined,
    billing: commune.billing ?? undefined,
    joinedOn: commune.joinedOn,
    leftOn: commune.leftOn ?? undefined,
    createdAt: commune.createdAt,
  };
}

/** The operator's management of communes, on the operator host only. */
@Resolver(() => CommuneRecordType)
export class OperatorCommuneResolver {
  constructor(
    private readonly registry: CommuneRegistry,
    private readonly onboarding: OnboardingService,
    private readonly migrations: TenantMigrationService,
  ) {}

  @Query(() => [CommuneRecordType], { description: 'Every commune on the platform, by slug.' })
  @Allow('operator')
  async communes(
    @Args('status', { type: () => CommuneStatusValue, nullable: true }) status?: CommuneStatusValue,
  ): Promise<CommuneRecordType[]> {
    return (await this.registry.list(status)).map(toRecord);
  }

  @Query(() => CommuneRecordType, { nullable: true })
  @Allow('operator')
  async communeRecord(@Args('slug') slug: string): Promise<CommuneRecordType | null> {
    const commune = await this.registry.findBySlug(slug);
    return commune ? toRecord(commune) : null;
  }

  @Query(() => [PopulationRecordType], { description: 'Dated population figures of a commune, oldest first.' })
  @Allow('operator')
  async populationRecords(@Args('slug') slug: string): Promise<PopulationRecordType[]> {
    return this.registry.population((await this.registry.getBySlug(slug)).id);
  }

  @Mutation(() => CommuneRecordType, { description: 'Onboards a commune: role, schema, migrations, seed data.' })
  @Allow('operator')
  async onboardCommune(@Args('definition') definition: CommuneDefinitionInput): Promise<CommuneRecordType> {
    const checked = validateCommuneDefinition(definition);
    await this.onboarding.onboard(checked);
    return toRecord(await this.registry.getBySlug(checked.slug));
  }

  @Mutation(() => CommuneRecordType)
  @Allow('operator')
  async updateCommune(
    @Args('slug') slug: string,
    @Args('changes') changes: CommuneUpdateInput,
  ): Promise<CommuneRecordType> {
    return toRecord(await this.registry.update(slug, changes as Parameters<CommuneRegistry['update']>[1]));
  }

  @Mutation(() => CommuneRecordType, { description: 'Takes a commune offline; its hosts answer COMMUNE_SUSPENDED.' })
  @Allow('operator')
  async suspendCommune(@Args('slug') slug: string, @Args('input') input: SuspensionInput): Promise<CommuneRecordType> {
    return toRecord(await this.registry.suspend(slug, input.reason));
  }

  @Mutation(() => CommuneRecordType)
  @Allow('operator')
  async resumeCommune(@Args('slug') slug: string): Promise<CommuneRecordType> {
    return toRecord(await this.registry.resume(slug));
  }

  @Mutation(() => PopulationRecordType, { description: 'Records or corrects the population of a commune at a date.' })
  @Allow('operator')
  async recordPopulation(
    @Args('slug') slug: string,
    @Args('record') record: PopulationRecordInput,
  ): Promise<PopulationRecordType> {
    return this.registry.recordPopulation(slug, record);
  }

  @Mutation(() => [MigrationOutcomeType], { description: 'Applies pending tenant migrations to every commune.' })
  @Allow('operator')
  async migrateCommunes(): Promise<MigrationOutcomeType[]> {
    const report = await this.migrations.migrateAll({ concurrency: 4 });
    return report.communes.map((c) => ({ ...c, ms: Math.round(c.ms) }));
  }
}
