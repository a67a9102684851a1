import { Injectable, type OnModuleInit } from '@nestjs/common';
import {
  ConflictError,
  InvalidInputError,
  NotFoundError,
  type InputProblem,
  type Locale,
  type LocalizedText,
  type RequestContext,
} from '@gemeng/core';
import { PG_UNIQUE_VIOLATION, sqlState, TenantTransactions } from '@gemeng/database';
import {
  CatalogueService,
  communeLanguages,
  documentValue,
  localizedTextProblems,
  onlyAllowed,
  procedureProblems,
  stageValue,
  textValue,
  type LanguageRule,
  type ServiceTypeEntity,
} from '@gemeng/catalogue';
import { CommuneDirectory, TenantSeeders, type CommuneDefinition } from '@gemeng/communes';
import { DepartmentService, type DepartmentEntity } from '@gemeng/departments';
import type { EntityManager } from 'typeorm';
import { DossierTypeEntity, type DossierStage, type RequestedDocument } from '../entities/dossier-type.entity';

/** What an administrator may set on a dossier type; what is left out keeps its value (or the catalogue's). */
export interface DossierTypeSettings {
  departmentCode?: string;
  normDays?: number;
  stages?: DossierStage[];
  documents?: RequestedDocument[];
  names?: LocalizedText;
  descriptions?: LocalizedText;
  position?: number;
}

/** The languages of one commune: the texts of its dossier types are checked against them. */
interface CommuneLanguages {
  enabled: Locale[];
  default: Locale;
}

/** Everything of a dossier type that is checked before it is stored. */
interface DossierTypeValues {
  names: LocalizedText;
  descriptions: LocalizedText;
  stages: DossierStage[];
  documents: RequestedDocument[];
  normDays: number;
}

/** The stage of a dossier type with this code; InvalidInputError if the type has none. */
export function stageOf(type: DossierTypeEntity, code: string, path = 'stageCode'): DossierStage {
  const stage = type.stages.find((s) => s.code === code);
  if (!stage)
    throw new InvalidInputError('Unknown stage', [{ path, message: `"${code}" is not a stage of this type` }]);
  return stage;
}

/** Where every dossier of the type starts. */
export function firstStage(type: DossierTypeEntity): DossierStage {
  return type.stages[0];
}

/** Where every dossier of the type is closed, with its result: always the last stage. */
export function finalStage(type: DossierTypeEntity): DossierStage {
  return type.stages[type.stages.length - 1];
}

/**
 * The commune's dossier types: the services of the shared catalogue it enabled, each with its handling
 * department, stages, service norm and requested documents. Enabling copies the catalogue's defaults
 * into the commune's schema, where the administrator adapts them.
 */
@Injectable()
export class DossierTypeService implements OnModuleInit {
  constructor(
    private readonly transactions: TenantTransactions,
    private readonly seeders: TenantSeeders,
    private readonly directory: CommuneDirectory,
    private readonly catalogue: CatalogueService,
    private readonly departments: DepartmentService,
  ) {}

  onModuleInit(): void {
    // Registered after the departments' seeder (this module imports theirs), which it depends on.
    this.seeders.register({ name: 'dossier-types', seed: (ctx, definition) => this.seed(ctx, definition) });
  }

  /** The commune's dossier types in its order: the enabled ones, or all of them. */
  async list(ctx: RequestContext, options: { includeDisabled?: boolean } = {}): Promise<DossierTypeEntity[]> {
    return this.transactions.run(ctx, (manager) =>
      manager.find(DossierTypeEntity, {
        where: options.includeDisabled ? {} : { enabled: true },
        order: { position: 'ASC', code: 'ASC' },
      }),
    );
  }

  /** One dossier type by id, enabled or not; NotFoundError if the commune has none with that id. */
  async get(ctx: RequestContext, id: string): Promise<DossierTypeEntity> {
    const type = await this.transactions.run(ctx, (manager) => manager.findOneBy(DossierTypeEntity, { id }));
    if (!type) throw new NotFoundError('No such dossier type');
    return type;
  }

  /**
   * The dossier type a citizen submits to; InvalidInputError (at `path`) if the commune does not offer
   * it, or not while it is disabled. The type stays locked (FOR SHARE) until the transaction ends, so
   * that its stages cannot change under a submission in progress.
   */
  async findEnabled(ctx: RequestContext, code: string, path = 'typeCode'): Promise<DossierTypeEntity> {
    const type = await this.transactions.run(ctx, (manager) =>
      manager.findOne(DossierTypeEntity, { where: { code }, lock: { mode: 'pessimistic_read' } }),
    );
    // What the citizen typed names a field of their request, not a thing to look up: a bad input.
    if (!type) {
      throw new InvalidInputError('Invalid request', [
        { path, message: `"${code}" is not a service this commune offers` },
      ]);
    }
    if (!type.enabled) {
      throw new InvalidInputError('This service takes no new requests', [
        { path, message: `"${code}" is disabled for now` },
      ]);
    }
    return type;
  }

  /**
   * Offers a service of the catalogue: a new dossier type with the catalogue's defaults (texts in the
   * commune's languages only), replaced by whatever `settings` gives. ConflictError if the service is
   * retired or the commune offers it already; every other problem is reported at once, by path.
   */
  async enable(
    ctx: RequestContext,
    serviceTypeCode: string,
    settings: DossierTypeSettings & { departmentCode: string },
  ): Promise<DossierTypeEntity> {
    const serviceType = await this.serviceTypeToEnable(ctx, serviceTypeCode);
    const languages = this.languagesOf(ctx);
    try {
      return await this.transactions.run(ctx, async (manager) => {
        const existing = await manager.findOneBy(DossierTypeEntity, { code: serviceTypeCode });
        if (existing) throw this.alreadyOffered(existing);
        const values = { ...defaultsOf(serviceType, languages.enabled), ...definedOnly(settings) };
        const department = await this.departments.findForReference(ctx, settings.departmentCode);
        const problems = [
          ...(department ? [] : [unknownDepartment(settings.departmentCode)]),
          ...valuesProblems(values, languages),
          ...positionProblems(settings.position),
        ];
        if (problems.length) throw new InvalidInputError('The dossier type is invalid', problems);
        return this.insert(manager, serviceTypeCode, values, (department as DepartmentEntity).id, settings.position);
      });
    } catch (error) {
      // Two administrators enabling the same service at once: the second one learns it here.
      if (sqlState(error) === PG_UNIQUE_VIOLATION)
        throw new ConflictError(`The commune already offers "${serviceTypeCode}"`);
      throw error;
    }
  }

  /**
   * Changes a dossier type. New stages must keep every stage that open dossiers are in, and none of
   * those may become the final one (ConflictError naming them). Dossiers keep the department they were
   * submitted to; a new department receives the new ones.
   */
  async update(ctx: RequestContext, code: string, settings: DossierTypeSettings): Promise<DossierTypeEntity> {
    const languages = this.languagesOf(ctx);
    return this.transactions.run(ctx, async (manager) => {
      const type = await this.lock(manager, code);
      const values = { ...valuesOf(type), ...definedOnly(settings) };
      const department =
        settings.departmentCode == null
          ? undefined
          : await this.departments.findForReference(ctx, settings.departmentCode);
      const problems = [
        ...(department === null ? [unknownDepartment(settings.departmentCode as string)] : []),
        ...valuesProblems(values, languages),
        ...positionProblems(settings.position),
      ];
      if (problems.length) throw new InvalidInputError('The dossier type is invalid', problems);
      if (settings.stages) await this.keepStagesInUse(manager, type, values.stages);
      await manager.update(
        DossierTypeEntity,
        { id: type.id },
        {
          ...stored(values),
          ...(department ? { departmentId: department.id } : {}),
          ...(settings.position != null ? { position: settings.position } : {}),
          updatedAt: new Date(),
        },
      );
      return manager.findOneByOrFail(DossierTypeEntity, { id: type.id });
    });
  }

  /**
   * Takes new submissions of a dossier type, or stops taking them; dossiers already submitted go on
   * either way. Doing what is already done changes nothing.
   */
  async setEnabled(ctx: RequestContext, code: string, enabled: boolean): Promise<DossierTypeEntity> {
    return this.transactions.run(ctx, async (manager) => {
      const type = await this.lock(manager, code);
      if (type.enabled === enabled) return type;
      await manager.update(DossierTypeEntity, { id: type.id }, { enabled, updatedAt: new Date() });
      return manager.findOneByOrFail(DossierTypeEntity, { id: type.id });
    });
  }

  /**
   * Enables the dossier types of a commune's definition with the catalogue's defaults; those the commune
   * offers already are left as they are, so that a resumed onboarding completes the list.
   */
  async seed(ctx: RequestContext, definition: CommuneDefinition): Promise<void> {
    if (!definition.dossierTypes.length) return;
    const languages = { enabled: definition.enabledLocales, default: definition.defaultLocale };
    await this.transactions.run(ctx, async (manager) => {
      const offered = new Set((await manager.find(DossierTypeEntity)).map((t) => t.code));
      const problems: InputProblem[] = [];
      for (const [i, wanted] of definition.dossierTypes.entries()) {
        if (offered.has(wanted.serviceType)) continue;
        const path = `dossierTypes.${i}`;
        const serviceType = await this.catalogue.findServiceType(ctx, wanted.serviceType);
        const department = await this.departments.findForReference(ctx, wanted.department);
        if (!serviceType || serviceType.retiredAt) {
          const why = serviceType ? 'is retired from' : 'is not in';
          problems.push({
            path: `${path}.serviceType`,
            message: `"${wanted.serviceType}" ${why} the service catalogue`,
          });
        }
        if (!department) problems.push({ ...unknownDepartment(wanted.department), path: `${path}.department` });
        if (!serviceType || serviceType.retiredAt || !department) continue;
        const values = { ...defaultsOf(serviceType, languages.enabled), ...definedOnly({ normDays: wanted.normDays }) };
        const invalid = valuesProblems(values, languages).map((p) => ({ ...p, path: `${path}.${p.path}` }));
        if (invalid.length) problems.push(...invalid);
        else await this.insert(manager, wanted.serviceType, values, department.id);
      }
      if (problems.length) {
        throw new InvalidInputError(`The dossier types of ${definition.slug} cannot be enabled`, problems);
      }
    });
  }

  private async serviceTypeToEnable(ctx: RequestContext, code: string): Promise<ServiceTypeEntity> {
    const serviceType = await this.catalogue.findServiceType(ctx, code);
    if (!serviceType) {
      throw new InvalidInputError('Unknown service', [
        { path: 'serviceTypeCode', message: `"${code}" is not a service of the catalogue` },
      ]);
    }
    if (serviceType.retiredAt) {
      throw new ConflictError(`"${code}" is retired from the service catalogue and can no longer be enabled`);
    }
    return serviceType;
  }

  private alreadyOffered(existing: DossierTypeEntity): ConflictError {
    return new ConflictError(
      existing.enabled
        ? `The commune already offers "${existing.code}"`
        : `The commune already has "${existing.code}", disabled: re-enable it instead`,
    );
  }

  private languagesOf(ctx: RequestContext): CommuneLanguages {
    const commune = this.directory.get(ctx.requireCommune().id);
    return { enabled: commune.enabledLocales, default: commune.defaultLocale };
  }

  private async insert(
    manager: EntityManager,
    code: string,
    values: DossierTypeValues,
    departmentId: string,
    position?: number,
  ): Promise<DossierTypeEntity> {
    const [{ next }]: { next: number }[] = await manager.query(
      'SELECT COALESCE(max(position) + 1, 0) AS next FROM dossier_type',
    );
    const inserted = await manager.insert(DossierTypeEntity, {
      code,
      ...stored(values),
      departmentId,
      enabled: true,
      position: position ?? next,
    });
    return manager.findOneByOrFail(DossierTypeEntity, { id: inserted.identifiers[0].id as string });
  }

  private async lock(manager: EntityManager, code: string): Promise<DossierTypeEntity> {
    const type = await manager.findOne(DossierTypeEntity, { where: { code }, lock: { mode: 'pessimistic_write' } });
    if (!type) throw new NotFoundError(`The commune does not offer "${code}"`);
    return type;
  }

  /**
   * Refuses stages that would strand open dossiers: each one's stage must stay, and not as the final
   * stage (a dossier reaches that only by being closed, with a result). The type is locked, so no
   * dossier moves meanwhile.
   */
  private async keepStagesInUse(
    manager: EntityManager,
    type: DossierTypeEntity,
    stages: DossierStage[],
  ): Promise<void> {
    const inUse: { stage_code: string; n: number }[] = await manager.query(
      `SELECT stage_code, count(*)::int AS n FROM dossier
        WHERE dossier_type_id = $1 AND closed_at IS NULL GROUP BY stage_code ORDER BY stage_code`,
      [type.id],
    );
    const final = stages[stages.length - 1]?.code;
    const stranded = inUse.filter((s) => !stages.some((t) => t.code === s.stage_code) || s.stage_code === final);
    if (!stranded.length) return;
    const list = stranded.map((s) => `"${s.stage_code}" (${s.n} open dossier${s.n === 1 ? '' : 's'})`).join(', ');
    throw new ConflictError(
      `Open dossiers are in stages that the new list removes or makes final: ${list}; keep them, as stages before the final one`,
      { stages: stranded.map((s) => s.stage_code) },
    );
  }
}

/** The catalogue's defaults, texts in the commune's languages only. */
function defaultsOf(serviceType: ServiceTypeEntity, enabled: Locale[]): DossierTypeValues {
  return {
    names: onlyAllowed(serviceType.names, enabled),
    descriptions: onlyAllowed(serviceType.descriptions, enabled),
    stages: serviceType.defaultStages.map((s) => ({ ...s, names: onlyAllowed(s.names, enabled) })),
    documents: serviceType.defaultDocuments.map((d) => ({ ...d, names: onlyAllowed(d.names, enabled) })),
    normDays: serviceType.defaultNormDays,
  };
}

function valuesOf(type: DossierTypeEntity): DossierTypeValues {
  return {
    names: type.names,
    descriptions: type.descriptions,
    stages: type.stages,
    documents: type.documents,
    normDays: type.normDays,
  };
}

/** The settings that were given: GraphQL leaves absent ones undefined, or null when sent as null. */
function definedOnly(settings: DossierTypeSettings): Partial<DossierTypeValues> {
  const out: Partial<DossierTypeValues> = {};
  if (settings.names != null) out.names = settings.names;
  if (settings.descriptions != null) out.descriptions = settings.descriptions;
  if (settings.stages != null) out.stages = settings.stages;
  if (settings.documents != null) out.documents = settings.documents;
  if (settings.normDays != null) out.normDays = settings.normDays;
  return out;
}

function stored(values: DossierTypeValues): DossierTypeValues {
  return {
    names: textValue(values.names),
    descriptions: textValue(values.descriptions),
    stages: values.stages.map(stageValue),
    documents: values.documents.map(documentValue),
    normDays: values.normDays,
  };
}

function valuesProblems(values: DossierTypeValues, languages: CommuneLanguages): InputProblem[] {
  const rule = communeLanguages(languages.enabled, languages.default);
  const descriptionRule: LanguageRule = { ...rule, required: [] };
  return [
    ...localizedTextProblems(values.names, rule, 'names'),
    ...localizedTextProblems(values.descriptions, descriptionRule, 'descriptions'),
    ...procedureProblems(values, rule),
  ];
}

function positionProblems(position: number | undefined): InputProblem[] {
  if (position === undefined || position === null || (Number.isInteger(position) && position >= 0)) return [];
  return [{ path: 'position', message: 'must be a whole number, 0 or more' }];
}

function unknownDepartment(code: string): InputProblem {
  return { path: 'departmentCode', message: `"${code}" is not one of the commune's departments` };
}
