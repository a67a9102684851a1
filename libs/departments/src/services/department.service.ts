import { Injectable, type OnModuleInit } from '@nestjs/common';
import {
  ConflictError,
  InvalidInputError,
  NotFoundError,
  type InputProblem,
  type Locale,
  type RequestContext,
} from '@gemeng/core';
import { PG_UNIQUE_VIOLATION, sqlState, TenantTransactions } from '@gemeng/database';
import { codeProblem, communeLanguages, localizedTextProblems, textValue } from '@gemeng/catalogue';
import { CommuneDirectory, TenantSeeders, type CommuneDefinition } from '@gemeng/communes';
import { IdentityService, type StaffMemberEntity } from '@gemeng/identity';
import type { EntityManager } from 'typeorm';
import { DepartmentEntity } from '../entities/department.entity';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export interface NewDepartment {
  code: string;
  names: Partial<Record<Locale, string>>;
  email?: string | null;
}

export interface DepartmentChange {
  names?: Partial<Record<Locale, string>>;
  /** null removes the address. */
  email?: string | null;
  position?: number;
}

/** What still refers to a department, by what it is ("dossier type") and how many there are. */
interface Reference {
  what: string;
  count: number;
}

/** The departments of the commune in the request context. */
@Injectable()
export class DepartmentService implements OnModuleInit {
  private readonly staffInFlight = new WeakMap<RequestContext, Promise<StaffMemberEntity[]>>();

  constructor(
    private readonly transactions: TenantTransactions,
    private readonly seeders: TenantSeeders,
    private readonly directory: CommuneDirectory,
    private readonly identity: IdentityService,
  ) {}

  onModuleInit(): void {
    this.seeders.register({ name: 'departments', seed: (ctx, definition) => this.seed(ctx, definition) });
    // Staff belong to departments, and this context depends on identity (members, deletion): so identity
    // checks staff members' department codes through this service, handed to it here.
    this.identity.useDepartmentCheck((ctx, codes) => this.unknownCodes(ctx, codes));
  }

  /** The commune's departments in the order it lists them. */
  async list(ctx: RequestContext): Promise<DepartmentEntity[]> {
    return this.transactions.run(ctx, (manager) =>
      manager.getRepository(DepartmentEntity).find({ order: { position: 'ASC', code: 'ASC' } }),
    );
  }

  /** One department by id; NotFoundError if the commune has none with that id. */
  async get(ctx: RequestContext, id: string): Promise<DepartmentEntity> {
    const department = await this.transactions.run(ctx, (manager) => manager.findOneBy(DepartmentEntity, { id }));
    if (!department) throw new NotFoundError('No such department');
    return department;
  }

  /**
   * The department with this code, or null. It stays locked against deletion (FOR KEY SHARE) until the
   * transaction ends, so that whoever is about to refer to it by id can rely on it.
   */
  async findForReference(ctx: RequestContext, code: string): Promise<DepartmentEntity | null> {
    return this.transactions.run(ctx, (manager) =>
      manager.findOne(DepartmentEntity, { where: { code }, lock: { mode: 'for_key_share' } }),
    );
  }

  /**
   * The codes among `codes` that are not departments of the commune. The departments found stay locked
   * against deletion (FOR KEY SHARE) until the transaction ends, so that what refers to them holds.
   */
  async unknownCodes(ctx: RequestContext, codes: string[]): Promise<string[]> {
    if (!codes.length) return [];
    const found: { code: string }[] = await this.transactions.run(ctx, (manager) =>
      manager.query('SELECT code FROM department WHERE code = ANY($1) FOR KEY SHARE', [codes]),
    );
    const known = new Set(found.map((d) => d.code));
    return [...new Set(codes.filter((code) => !known.has(code)))];
  }

  /** The staff members working in a department, invited ones included. */
  async members(ctx: RequestContext, code: string): Promise<StaffMemberEntity[]> {
    // The members of sibling departments in one GraphQL answer share one read of the staff, instead of
    // queueing one query each on the request's connection. Only while it is in flight: a later call
    // (after a change of the staff in the same request) reads again.
    let staff = this.staffInFlight.get(ctx);
    if (!staff) {
      staff = this.identity.listStaff(ctx).finally(() => this.staffInFlight.delete(ctx));
      this.staffInFlight.set(ctx, staff);
    }
    return (await staff).filter((member) => member.departmentCodes.includes(code));
  }

  /**
   * Creates a department, last in the commune's list. Names in the commune's languages, at least its
   * default one; the code is unique within the commune (ConflictError otherwise).
   */
  async create(ctx: RequestContext, input: NewDepartment): Promise<DepartmentEntity> {
    const problems = [
      ...(codeProblem(input.code) ? [{ path: 'code', message: codeProblem(input.code) as string }] : []),
      ...this.namesProblems(ctx, input.names),
      ...emailProblems(input.email),
    ];
    if (problems.length) throw new InvalidInputError('The department is invalid', problems);
    try {
      return await this.transactions.run(ctx, async (manager) => {
        if (await manager.existsBy(DepartmentEntity, { code: input.code })) {
          throw new ConflictError(`The commune already has a department "${input.code}"`);
        }
        const [{ next }]: { next: number }[] = await manager.query(
          'SELECT COALESCE(max(position) + 1, 0) AS next FROM department',
        );
        const inserted = await manager.insert(DepartmentEntity, {
          code: input.code,
          names: textValue(input.names),
          email: input.email?.trim() || null,
          position: next,
        });
        return manager.findOneByOrFail(DepartmentEntity, { id: inserted.identifiers[0].id as string });
      });
    } catch (error) {
      // Two administrators creating the same department at once: the second one learns it here.
      if (sqlState(error) === PG_UNIQUE_VIOLATION) {
        throw new ConflictError(`The commune already has a department "${input.code}"`);
      }
      throw error;
    }
  }

  /** Changes a department's names, e-mail address or place in the list; its code stays. */
  async update(ctx: RequestContext, code: string, change: DepartmentChange): Promise<DepartmentEntity> {
    const problems = [
      ...(change.names ? this.namesProblems(ctx, change.names) : []),
      ...emailProblems(change.email),
      ...(change.position != null && (!Number.isInteger(change.position) || change.position < 0)
        ? [{ path: 'position', message: 'must be a whole number, 0 or more' }]
        : []),
    ];
    if (problems.length) throw new InvalidInputError('The department is invalid', problems);
    return this.transactions.run(ctx, async (manager) => {
      const department = await this.lock(manager, code);
      await manager.update(
        DepartmentEntity,
        { id: department.id },
        {
          ...(change.names ? { names: textValue(change.names) } : {}),
          ...(change.email !== undefined ? { email: change.email?.trim() || null } : {}),
          ...(change.position != null ? { position: change.position } : {}),
        },
      );
      return manager.findOneByOrFail(DepartmentEntity, { id: department.id });
    });
  }

  /**
   * Deletes a department that nothing refers to any more: no dossier type, no dossier (open or closed:
   * the commune's records keep their department), no staff member. Otherwise ConflictError, saying what
   * still refers to it.
   */
  async delete(ctx: RequestContext, code: string): Promise<DepartmentEntity> {
    return this.transactions.run(ctx, async (manager) => {
      // FOR UPDATE waits for, and then blocks, whatever is about to refer to the department.
      const department = await this.lock(manager, code);
      const references = await this.references(manager, department.id);
      const members = await this.members(ctx, code);
      if (members.length) references.push({ what: 'staff member', count: members.length });
      if (references.length) {
        const list = references.map((r) => `${r.count} ${r.what}${r.count === 1 ? '' : 's'}`).join(', ');
        throw new ConflictError(
          `The department "${code}" is still in use (${list}); hand them to another department first`,
          { references, members: members.map((m) => m.email) },
        );
      }
      await manager.delete(DepartmentEntity, { id: department.id });
      return department;
    });
  }

  /** Creates the departments of a commune's definition; those that exist already are left as they are. */
  async seed(ctx: RequestContext, definition: CommuneDefinition): Promise<void> {
    if (!definition.departments.length) return;
    await this.transactions.run(ctx, (manager) =>
      manager
        .createQueryBuilder()
        .insert()
        .into(DepartmentEntity)
        .values(
          definition.departments.map((d, position) => ({
            code: d.code,
            names: d.names,
            email: d.email ?? null,
            position,
          })),
        )
        .orIgnore()
        .execute(),
    );
  }

  private namesProblems(ctx: RequestContext, names: Partial<Record<Locale, string>>): InputProblem[] {
    const commune = this.directory.get(ctx.requireCommune().id);
    return localizedTextProblems(names, communeLanguages(commune.enabledLocales, commune.defaultLocale), 'names');
  }

  private async lock(manager: EntityManager, code: string): Promise<DepartmentEntity> {
    const department = await manager.findOne(DepartmentEntity, {
      where: { code },
      lock: { mode: 'pessimistic_write' },
    });
    if (!department) throw new NotFoundError(`No department "${code}" on this commune`);
    return department;
  }

  /**
   * Rows of the commune's schema that refer to the department by foreign key, read from the catalog so
   * that this context needs to know no other context's tables.
   */
  private async references(manager: EntityManager, id: string): Promise<Reference[]> {
    const keys: { table_name: string; column_name: string; relname: string }[] = await manager.query(
      `SELECT quote_ident(cl.relname) AS table_name, quote_ident(a.attname) AS column_name, cl.relname
         FROM pg_constraint c
         JOIN pg_class cl ON cl.oid = c.conrelid
         JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
        WHERE c.contype = 'f' AND c.confrelid = 'department'::regclass
        ORDER BY cl.relname`,
    );
    const references: Reference[] = [];
    for (const key of keys) {
      const [{ n }]: { n: number }[] = await manager.query(
        `SELECT count(*)::int AS n FROM ${key.table_name} WHERE ${key.column_name} = $1`,
        [id],
      );
      if (n) references.push({ what: key.relname.replace(/_/g, ' '), count: n });
    }
    return references;
  }
}

function emailProblems(email: string | null | undefined): InputProblem[] {
  if (email === undefined || email === null || EMAIL.test(email.trim())) return [];
  return [{ path: 'email', message: `must be an e-mail address, got "${email}"` }];
}
