import { Injectable, type OnModuleInit } from '@nestjs/common';
import {
  ConflictError,
  InvalidInputError,
  NotFoundError,
  type RequestContext,
  type Role,
  type SessionUser,
} from '@gemeng/core';
import { TenantTransactions } from '@gemeng/database';
import { TenantSeeders, type CommuneDefinition } from '@gemeng/communes';
import type { EntityManager } from 'typeorm';
import { CitizenEntity } from '../entities/citizen.entity';
import { StaffMemberEntity, type StaffRole } from '../entities/staff-member.entity';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Adds what one context keeps about a person to their data export; `citizenId` is their profile here. */
export type PersonalDataExporter = (ctx: RequestContext, citizenId: string) => Promise<unknown>;

export interface StaffChange {
  role?: StaffRole;
  departmentCodes?: string[];
}

/** The codes among `codes` that are not departments of the context's commune. */
export type DepartmentCodeCheck = (ctx: RequestContext, codes: string[]) => Promise<string[]>;

/**
 * Citizens and staff of the commune in the request context. A person's profile is created at their
 * first login on a commune; staff are invited by e-mail address and join at their first login with it.
 */
@Injectable()
export class IdentityService implements OnModuleInit {
  private readonly exporters = new Map<string, PersonalDataExporter>();
  private departmentCheck: DepartmentCodeCheck | undefined;

  constructor(
    private readonly transactions: TenantTransactions,
    private readonly seeders: TenantSeeders,
  ) {}

  onModuleInit(): void {
    this.seeders.register({
      name: 'administrators',
      seed: (ctx, definition) => this.seedAdministrators(ctx, definition),
    });
  }

  /** Called by every context that keeps personal data, at module init, so that the export is whole. */
  registerPersonalData(section: string, exporter: PersonalDataExporter): void {
    if (this.exporters.has(section)) throw new Error(`Personal data section "${section}" is registered twice`);
    this.exporters.set(section, exporter);
  }

  /**
   * How staff members' department codes are checked. The departments context hands it over at start:
   * it depends on this one (a department's members), so this one cannot depend on it.
   */
  useDepartmentCheck(check: DepartmentCodeCheck): void {
    this.departmentCheck = check;
  }

  /** Creates or refreshes the profile of who just logged in, and joins them to the staff they were invited to. */
  async signIn(ctx: RequestContext, user: SessionUser): Promise<CitizenEntity> {
    return this.transactions.run(ctx, async (manager) => {
      await manager
        .createQueryBuilder()
        .insert()
        .into(CitizenEntity)
        .values({
          subject: user.subject,
          email: user.email,
          name: user.name,
          locale: user.locale ?? null,
          lastLoginAt: new Date(),
        })
        .orUpdate(['email', 'name', 'last_login_at'], ['subject'])
        .execute();
      const citizen = await manager.findOneByOrFail(CitizenEntity, { subject: user.subject });
      await manager
        .createQueryBuilder()
        .update(StaffMemberEntity)
        .set({ citizenId: citizen.id, joinedAt: () => 'COALESCE(joined_at, now())' })
        .where('email = :email AND (citizen_id IS NULL OR citizen_id = :id)', {
          email: user.email.toLowerCase(),
          id: citizen.id,
        })
        .execute();
      return citizen;
    });
  }

  /** The roles of the context's user in its commune: citizen, plus agent or admin for staff. */
  rolesOf(ctx: RequestContext): Promise<Role[]> {
    ctx.roles ??= this.lookUpRoles(ctx);
    return ctx.roles;
  }

  async me(ctx: RequestContext): Promise<{ citizen: CitizenEntity; staff: StaffMemberEntity | null }> {
    const user = this.requireUser(ctx);
    return this.transactions.run(ctx, async (manager) => {
      const citizen = await manager.findOneBy(CitizenEntity, { subject: user.subject });
      if (!citizen) throw new NotFoundError('No profile on this commune yet; log in again');
      const staff = await manager.findOneBy(StaffMemberEntity, { citizenId: citizen.id });
      return { citizen, staff };
    });
  }

  /**
   * Everything this commune holds about the logged-in person (GDPR article 15), as of now: the profile
   * and staff membership, then each registered context's section.
   */
  async exportMyData(ctx: RequestContext): Promise<Record<string, unknown>> {
    const { citizen, staff } = await this.me(ctx);
    return {
      exportedAt: new Date().toISOString(),
      commune: ctx.requireCommune().slug,
      profile: {
        id: citizen.id,
        subject: citizen.subject,
        email: citizen.email,
        name: citizen.name,
        locale: citizen.locale,
        notificationPreferences: citizen.notificationPreferences,
        createdAt: citizen.createdAt.toISOString(),
        lastLoginAt: citizen.lastLoginAt.toISOString(),
      },
      staffMembership: staff
        ? {
            role: staff.role,
            departments: staff.departmentCodes,
            invitedAt: staff.invitedAt.toISOString(),
            joinedAt: staff.joinedAt?.toISOString() ?? null,
          }
        : null,
      ...Object.fromEntries(
        await Promise.all(
          [...this.exporters].map(async ([section, exporter]) => [section, await exporter(ctx, citizen.id)] as const),
        ),
      ),
    };
  }

  /**
   * Deletes the logged-in person's profile on this commune (GDPR article 17). Staff keep their staff
   * record, unlinked, so that the commune's staff list stays whole; a later login starts afresh.
   */
  async deleteMyProfile(ctx: RequestContext): Promise<void> {
    const { citizen } = await this.me(ctx);
    await this.transactions.run(ctx, (manager) => manager.delete(CitizenEntity, { id: citizen.id }));
  }

  async listStaff(ctx: RequestContext): Promise<StaffMemberEntity[]> {
    return this.transactions.run(ctx, (manager) =>
      manager.find(StaffMemberEntity, { order: { role: 'ASC', email: 'ASC' } }),
    );
  }

  /** Invites someone by e-mail address; they become staff at their next login with that address. */
  async invite(
    ctx: RequestContext,
    email: string,
    role: StaffRole,
    departmentCodes: string[],
  ): Promise<StaffMemberEntity> {
    const address = email.trim().toLowerCase();
    if (!EMAIL.test(address))
      throw new InvalidInputError('Invalid invitation', [{ path: 'email', message: 'must be an e-mail address' }]);
    return this.transactions.run(ctx, async (manager) => {
      if (await manager.findOneBy(StaffMemberEntity, { email: address })) {
        throw new ConflictError(`${address} is already staff of this commune`);
      }
      await this.checkDepartments(ctx, departmentCodes);
      const inserted = await manager.insert(StaffMemberEntity, {
        email: address,
        role,
        departmentCodes,
        invitedBy: ctx.user?.email ?? null,
      });
      return manager.findOneByOrFail(StaffMemberEntity, { id: inserted.identifiers[0].id as string });
    });
  }

  async changeStaff(ctx: RequestContext, id: string, change: StaffChange): Promise<StaffMemberEntity> {
    return this.transactions.run(ctx, async (manager) => {
      const member = await this.lockStaff(manager, id);
      if (change.role === 'agent' && member.role === 'admin') await this.keepOneAdmin(manager, member);
      if (change.departmentCodes) await this.checkDepartments(ctx, change.departmentCodes);
      await manager.update(StaffMemberEntity, { id }, { ...change });
      return manager.findOneByOrFail(StaffMemberEntity, { id });
    });
  }

  async revokeStaff(ctx: RequestContext, id: string): Promise<StaffMemberEntity> {
    return this.transactions.run(ctx, async (manager) => {
      const member = await this.lockStaff(manager, id);
      if (member.role === 'admin') await this.keepOneAdmin(manager, member);
      await manager.delete(StaffMemberEntity, { id });
      return member;
    });
  }

  private async lookUpRoles(ctx: RequestContext): Promise<Role[]> {
    const user = ctx.user;
    if (!user || !ctx.commune) return [];
    const staff = await this.transactions.run(ctx, (manager) =>
      manager
        .createQueryBuilder(StaffMemberEntity, 's')
        .innerJoin(CitizenEntity, 'c', 'c.id = s.citizen_id')
        .where('c.subject = :subject', { subject: user.subject })
        .getOne(),
    );
    if (!staff) return ['citizen'];
    return staff.role === 'admin' ? ['citizen', 'agent', 'admin'] : ['citizen', 'agent'];
  }

  private requireUser(ctx: RequestContext): SessionUser {
    if (!ctx.user) throw new Error('This operation needs a logged-in user');
    return ctx.user;
  }

  private async lockStaff(manager: EntityManager, id: string): Promise<StaffMemberEntity> {
    // Lock every administrator row first, always in the same order, so that two administrators
    // revoking each other at once cannot both succeed.
    await manager.query("SELECT id FROM staff_member WHERE role = 'admin' ORDER BY id FOR UPDATE");
    const member = await manager.findOne(StaffMemberEntity, { where: { id }, lock: { mode: 'pessimistic_write' } });
    if (!member) throw new NotFoundError('No such staff member');
    return member;
  }

  private async checkDepartments(ctx: RequestContext, codes: string[]): Promise<void> {
    if (!codes.length) return;
    if (!this.departmentCheck) {
      throw new Error('Department codes cannot be checked: the departments module is not loaded');
    }
    const unknown = new Set(await this.departmentCheck(ctx, codes));
    const problems = codes.flatMap((code, i) =>
      unknown.has(code)
        ? [{ path: `departments.${i}`, message: `"${code}" is not one of the commune's departments` }]
        : [],
    );
    if (problems.length) throw new InvalidInputError('Unknown department', problems);
  }

  private async keepOneAdmin(manager: EntityManager, leaving: StaffMemberEntity): Promise<void> {
    const admins = await manager.countBy(StaffMemberEntity, { role: 'admin' });
    if (admins <= 1) {
      throw new ConflictError(`${leaving.email} is the last administrator of this commune; appoint another first`);
    }
  }

  private async seedAdministrators(ctx: RequestContext, definition: CommuneDefinition): Promise<void> {
    const staff = [
      ...definition.administrators.map((email) => ({ email, role: 'admin' as const, departmentCodes: [] as string[] })),
      ...definition.agents.map((a) => ({ email: a.email, role: 'agent' as const, departmentCodes: a.departments })),
    ];
    if (!staff.length) return;
    await this.transactions.run(ctx, (manager) =>
      manager.createQueryBuilder().insert().into(StaffMemberEntity).values(staff).orIgnore().execute(),
    );
  }
}
