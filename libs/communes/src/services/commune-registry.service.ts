import { Injectable } from '@nestjs/common';
import { ConflictError, InvalidInputError, NotFoundError } from '@gemeng/core';
import { PG_UNIQUE_VIOLATION, sqlState } from '@gemeng/database';
import { DataSource, type EntityManager } from 'typeorm';
import { validateCommuneDefinition } from '../definition/commune-definition';
import { CommuneDomainEntity } from '../entities/commune-domain.entity';
import { CommuneEntity, type CommuneStatus } from '../entities/commune.entity';
import { PopulationRecordEntity } from '../entities/population-record.entity';
import { CommuneDirectory } from './commune-directory.service';

export interface CommunePatch {
  names?: Record<string, string | undefined>;
  locales?: { enabled: string[]; default: string };
  theme?: Record<string, string | undefined>;
  contact?: Record<string, unknown>;
  customDomains?: string[];
  pricePerInhabitant?: string | null;
  /** Merged into the commune's billing details, field by field. */
  billing?: Record<string, unknown>;
}

export interface PopulationFigure {
  referenceDate: string;
  inhabitants: number;
  source: string;
}

/**
 * The operator's register of communes, in the platform schema: their status, hosts, branding and
 * population figures. Changes are announced to every API instance by the schema's triggers.
 */
@Injectable()
export class CommuneRegistry {
  constructor(
    private readonly dataSource: DataSource,
    private readonly directory: CommuneDirectory,
  ) {}

  /** All communes, newest status first within slug order; optionally only those in one status. */
  async list(status?: CommuneStatus): Promise<CommuneEntity[]> {
    return this.dataSource.getRepository(CommuneEntity).find({
      where: status ? { status } : {},
      relations: { domains: true },
      order: { slug: 'ASC' },
    });
  }

  async findBySlug(slug: string): Promise<CommuneEntity | null> {
    return this.dataSource.getRepository(CommuneEntity).findOne({ where: { slug }, relations: { domains: true } });
  }

  async getBySlug(slug: string): Promise<CommuneEntity> {
    const commune = await this.findBySlug(slug);
    if (!commune) throw new NotFoundError(`No commune "${slug}"`);
    return commune;
  }

  async population(communeId: string): Promise<PopulationRecordEntity[]> {
    return this.dataSource
      .getRepository(PopulationRecordEntity)
      .find({ where: { communeId }, order: { referenceDate: 'ASC' } });
  }

  /**
   * Changes a commune's names, languages, theme, contact block, custom domains, price or billing
   * details. The result is validated as a whole, exactly like a definition at onboarding (contrast
   * included).
   */
  async update(slug: string, patch: CommunePatch): Promise<CommuneEntity> {
    const commune = await this.getBySlug(slug);
    const current = settingsInput(commune);
    const price = patch.pricePerInhabitant;
    const merged = validateCommuneDefinition({
      ...current,
      names: { ...commune.names, ...stripUndefined(patch.names ?? {}) },
      locales: patch.locales ?? current.locales,
      theme: { ...commune.theme, ...stripUndefined(patch.theme ?? {}) },
      contact: { ...commune.contact, ...stripUndefined(patch.contact ?? {}) },
      customDomains: patch.customDomains ?? current.customDomains,
      billing: patch.billing ? { ...commune.billing, ...stripUndefined(patch.billing) } : current.billing,
      ...(price === null ? {} : { pricePerInhabitant: price ?? current.pricePerInhabitant }),
    });
    await this.dataSource.transaction(async (manager) => {
      await manager.update(
        CommuneEntity,
        { id: commune.id },
        {
          names: merged.names,
          enabledLocales: merged.enabledLocales,
          defaultLocale: merged.defaultLocale,
          theme: merged.theme,
          contact: merged.contact,
          pricePerInhabitantCents: merged.pricePerInhabitantCents,
          billing: merged.billing,
        },
      );
      if (patch.customDomains) await this.replaceCustomDomains(manager, commune.id, merged.customDomains);
    });
    await this.directory.refresh(commune.id);
    return this.getBySlug(slug);
  }

  async suspend(slug: string, reason: string): Promise<CommuneEntity> {
    if (!reason.trim())
      throw new InvalidInputError('A suspension needs a reason', [{ path: 'reason', message: 'is empty' }]);
    return this.setStatus(slug, 'active', 'suspended', reason.trim());
  }

  async resume(slug: string): Promise<CommuneEntity> {
    return this.setStatus(slug, 'suspended', 'active', null);
  }

  /** Records (or corrects) the number of inhabitants at a date. */
  async recordPopulation(slug: string, figure: PopulationFigure): Promise<PopulationRecordEntity> {
    const commune = await this.getBySlug(slug);
    const checked = validateCommuneDefinition({ ...settingsInput(commune), population: [figure] }).population[0];
    await this.dataSource
      .createQueryBuilder()
      .insert()
      .into(PopulationRecordEntity)
      .values({ communeId: commune.id, ...checked })
      .orUpdate(['inhabitants', 'source', 'recorded_at'], ['commune_id', 'reference_date'])
      .execute();
    return this.dataSource
      .getRepository(PopulationRecordEntity)
      .findOneOrFail({ where: { communeId: commune.id, referenceDate: checked.referenceDate } });
  }

  /** Adds or replaces the verified custom domains; refuses one that another commune answers on. */
  async replaceCustomDomains(manager: EntityManager, communeId: string, hosts: string[]): Promise<void> {
    const taken = await manager
      .getRepository(CommuneDomainEntity)
      .createQueryBuilder('d')
      .innerJoin('d.commune', 'c')
      .select(['d.host AS host', 'c.slug AS slug'])
      .where('d.host IN (:...hosts) AND d.commune_id <> :communeId', { hosts: ['', ...hosts], communeId })
      .getRawMany<{ host: string; slug: string }>();
    if (taken.length) {
      throw new ConflictError(`${taken.map((t) => `${t.host} is already a domain of ${t.slug}`).join('; ')}`, {
        hosts: taken.map((t) => t.host),
      });
    }
    await manager.delete(CommuneDomainEntity, { communeId, kind: 'custom' });
    try {
      for (const host of hosts) {
        await manager.insert(CommuneDomainEntity, { host, communeId, kind: 'custom', verifiedAt: new Date() });
      }
    } catch (error) {
      if (sqlState(error) === PG_UNIQUE_VIOLATION)
        throw new ConflictError('A domain was just taken by another commune');
      throw error;
    }
  }

  private async setStatus(
    slug: string,
    from: CommuneStatus,
    to: CommuneStatus,
    reason: string | null,
  ): Promise<CommuneEntity> {
    const commune = await this.getBySlug(slug);
    if (commune.status === to) return commune;
    if (commune.status !== from) {
      throw new ConflictError(
        `Commune "${slug}" is ${commune.status}; only a commune that is ${from} can become ${to}`,
      );
    }
    const result = await this.dataSource
      .getRepository(CommuneEntity)
      .update({ id: commune.id, status: from }, { status: to, statusReason: reason });
    if (!result.affected) throw new ConflictError(`Commune "${slug}" changed status meanwhile; try again`);
    await this.directory.refresh(commune.id);
    return this.getBySlug(slug);
  }
}

function stripUndefined<T extends Record<string, unknown>>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined && v !== null)) as Partial<T>;
}

export function formatCents(cents: number | null): string | null {
  if (cents === null) return null;
  return `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
}

/**
 * A commune's settings in the input shape of a definition, so that a change to one part is validated
 * together with the rest, exactly as at onboarding.
 */
function settingsInput(commune: CommuneEntity) {
  return {
    slug: commune.slug,
    names: commune.names,
    locales: { enabled: commune.enabledLocales, default: commune.defaultLocale },
    theme: commune.theme,
    contact: commune.contact,
    customDomains: commune.domains.filter((d) => d.kind === 'custom').map((d) => d.host),
    joinedOn: commune.joinedOn,
    pricePerInhabitant: formatCents(commune.pricePerInhabitantCents) ?? undefined,
    billing: commune.billing ?? undefined,
  };
}
