import { Injectable, Logger } from '@nestjs/common';
import {
  GemengError,
  InvalidInputError,
  NotFoundError,
  type InputProblem,
  type LocalizedText,
  type RequestContext,
} from '@gemeng/core';
import { DataSource } from 'typeorm';
import { LifeEventEntity } from '../entities/life-event.entity';
import { ServiceTypeEntity } from '../entities/service-type.entity';
import {
  CATALOGUE_LANGUAGES,
  codeProblem,
  documentValue,
  localizedTextProblems,
  procedureProblems,
  stageValue,
  textValue,
  type ProcedureDocument,
  type ProcedureStage,
} from '../rules/procedure-rules';

/** A service type as the operator writes it. */
export interface ServiceTypeDefinition {
  code: string;
  names: LocalizedText;
  descriptions: LocalizedText;
  lifeEventCodes: string[];
  normDays: number;
  stages: ProcedureStage[];
  documents: ProcedureDocument[];
  /** Where it comes in lists; a new service type goes last when none is given. */
  position?: number;
}

interface CatalogueSnapshot {
  lifeEvents: LifeEventEntity[];
  /** Retired ones included, in catalogue order. */
  serviceTypes: ServiceTypeEntity[];
}

/**
 * How old an instance's copy of the catalogue may get before it is read again, in the background. The
 * catalogue changes a few times a year, by the operator: the instance that makes a change reads it again
 * at once, the others within this delay.
 */
export const CATALOGUE_REFRESH_MS = 30_000;

/**
 * The shared service catalogue, in the platform schema: life events and the service types communes
 * choose from. Read with the platform's pool, never in a tenant transaction, since commune roles have no
 * right on the platform schema.
 *
 * Requests read an in-memory copy, refreshed in the background when it is old: a request that holds its
 * tenant transaction's connection must not wait for a second one from the same pool, or a busy pool
 * could end with every connection waiting for another. Only the first read after a start or a change
 * waits for the database.
 */
@Injectable()
export class CatalogueService {
  private readonly logger = new Logger(CatalogueService.name);
  private current: { loadedAt: number; snapshot: Promise<CatalogueSnapshot> } | undefined;
  /** Counts changes, so that a refresh started before a change does not bring back what it replaced. */
  private generation = 0;
  private refreshing = false;

  constructor(private readonly dataSource: DataSource) {}

  /** The life events in catalogue order. Shared objects: read them, do not change them. */
  async lifeEvents(_ctx: RequestContext): Promise<LifeEventEntity[]> {
    return (await this.snapshot()).lifeEvents;
  }

  /** The service types in catalogue order; retired ones only when asked for. */
  async serviceTypes(_ctx: RequestContext, options: { includeRetired?: boolean } = {}): Promise<ServiceTypeEntity[]> {
    const all = (await this.snapshot()).serviceTypes;
    return options.includeRetired ? all : all.filter((t) => !t.retiredAt);
  }

  /** One service type, retired or not, as this instance knows it; null if the catalogue has none. */
  async findServiceType(_ctx: RequestContext, code: string): Promise<ServiceTypeEntity | null> {
    return (await this.snapshot()).serviceTypes.find((t) => t.code === code) ?? null;
  }

  /**
   * Adds a service type to the catalogue or replaces one, texts in all four languages and default
   * procedure checked whole; a retired one becomes current again. Communes that enabled it keep their
   * own copy. Operator only.
   */
  async upsertServiceType(ctx: RequestContext, definition: ServiceTypeDefinition): Promise<ServiceTypeEntity> {
    this.requireOperator(ctx);
    const lifeEvents = await this.dataSource.getRepository(LifeEventEntity).find();
    const problems = this.definitionProblems(definition, new Set(lifeEvents.map((e) => e.code)));
    if (problems.length) throw new InvalidInputError('The service type is invalid', problems);
    await this.dataSource.query(
      `INSERT INTO platform.service_type
         (code, names, descriptions, life_event_codes, default_stages, default_norm_days, default_documents, position)
       VALUES ($1, $2, $3, $4, $5, $6, $7,
               COALESCE($8, (SELECT COALESCE(max(position), 0) + 10 FROM platform.service_type)))
       ON CONFLICT (code) DO UPDATE SET
         names = EXCLUDED.names,
         descriptions = EXCLUDED.descriptions,
         life_event_codes = EXCLUDED.life_event_codes,
         default_stages = EXCLUDED.default_stages,
         default_norm_days = EXCLUDED.default_norm_days,
         default_documents = EXCLUDED.default_documents,
         position = COALESCE($8, platform.service_type.position),
         retired_at = NULL,
         updated_at = now()`,
      [
        definition.code,
        JSON.stringify(textValue(definition.names)),
        JSON.stringify(textValue(definition.descriptions)),
        definition.lifeEventCodes,
        JSON.stringify(definition.stages.map(stageValue)),
        definition.normDays,
        JSON.stringify(definition.documents.map(documentValue)),
        definition.position ?? null,
      ],
    );
    this.forget();
    return this.read(definition.code);
  }

  /**
   * Retires a service type: communes can no longer enable it, and those that offer it go on doing so
   * with their own copy. Retiring it again changes nothing. Operator only.
   */
  async retireServiceType(ctx: RequestContext, code: string): Promise<ServiceTypeEntity> {
    this.requireOperator(ctx);
    await this.dataSource.query(
      'UPDATE platform.service_type SET retired_at = now(), updated_at = now() WHERE code = $1 AND retired_at IS NULL',
      [code],
    );
    this.forget();
    return this.read(code);
  }

  private definitionProblems(definition: ServiceTypeDefinition, lifeEvents: Set<string>): InputProblem[] {
    const problems: InputProblem[] = [];
    const code = codeProblem(definition.code);
    if (code) problems.push({ path: 'code', message: code });
    problems.push(...localizedTextProblems(definition.names, CATALOGUE_LANGUAGES, 'names'));
    problems.push(...localizedTextProblems(definition.descriptions, CATALOGUE_LANGUAGES, 'descriptions'));
    definition.lifeEventCodes.forEach((event, i) => {
      if (!lifeEvents.has(event)) {
        problems.push({
          path: `lifeEvents.${i}`,
          message: `"${event}" is not a life event of the catalogue (${[...lifeEvents].join(', ')})`,
        });
      } else if (definition.lifeEventCodes.indexOf(event) !== i) {
        problems.push({ path: `lifeEvents.${i}`, message: `"${event}" is listed twice` });
      }
    });
    problems.push(...procedureProblems(definition, CATALOGUE_LANGUAGES));
    return problems;
  }

  private requireOperator(ctx: RequestContext): void {
    if (!ctx.operator) throw new GemengError('FORBIDDEN', 'Only the operator changes the service catalogue');
  }

  /** The service type as the database has it now; NotFoundError if there is none. */
  private async read(code: string): Promise<ServiceTypeEntity> {
    const found = await this.dataSource.getRepository(ServiceTypeEntity).findOneBy({ code });
    if (!found) throw new NotFoundError(`"${code}" is not a service of the catalogue`);
    return found;
  }

  private forget(): void {
    this.generation++;
    this.current = undefined;
  }

  private snapshot(): Promise<CatalogueSnapshot> {
    if (!this.current) {
      const current = { loadedAt: Date.now(), snapshot: this.load() };
      this.current = current;
      // A failed load is not kept: the next read tries again.
      current.snapshot.catch(() => {
        if (this.current === current) this.current = undefined;
      });
    } else if (Date.now() - this.current.loadedAt > CATALOGUE_REFRESH_MS && !this.refreshing) {
      this.refresh();
    }
    return this.current.snapshot;
  }

  private refresh(): void {
    const generation = this.generation;
    this.refreshing = true;
    this.load()
      .then((snapshot) => {
        if (generation === this.generation)
          this.current = { loadedAt: Date.now(), snapshot: Promise.resolve(snapshot) };
      })
      .catch((error: unknown) => this.logger.warn(`Could not refresh the service catalogue: ${String(error)}`))
      .finally(() => {
        this.refreshing = false;
      });
  }

  private async load(): Promise<CatalogueSnapshot> {
    const [lifeEvents, serviceTypes] = await Promise.all([
      this.dataSource.getRepository(LifeEventEntity).find({ order: { position: 'ASC', code: 'ASC' } }),
      this.dataSource.getRepository(ServiceTypeEntity).find({ order: { position: 'ASC', code: 'ASC' } }),
    ]);
    return { lifeEvents, serviceTypes };
  }
}
