import { Args, Mutation, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { Allow, Ctx, GemengError, type RequestContext } from '@gemeng/core';
import { CommuneDirectory } from '@gemeng/communes';
import { IdentityService, StaffMemberType, toStaffMemberType } from '@gemeng/identity';
import type { DepartmentEntity } from '../entities/department.entity';
import { DepartmentService } from '../services/department.service';
import { DepartmentInput, DepartmentType, DepartmentUpdateInput, toDepartmentType } from './department.types';

/** The administrator's management of departments; members are managed with changeStaff. */
@Resolver(() => DepartmentType)
export class DepartmentResolver {
  constructor(
    private readonly departments: DepartmentService,
    private readonly identity: IdentityService,
    private readonly directory: CommuneDirectory,
  ) {}

  @Mutation(() => DepartmentType, { description: 'Creates a department, last in the list.' })
  @Allow('admin')
  async createDepartment(@Ctx() ctx: RequestContext, @Args('input') input: DepartmentInput): Promise<DepartmentType> {
    return this.toType(ctx, await this.departments.create(ctx, input));
  }

  @Mutation(() => DepartmentType, { description: "Changes a department's names, e-mail address or place." })
  @Allow('admin')
  async updateDepartment(
    @Ctx() ctx: RequestContext,
    @Args('code') code: string,
    @Args('input') input: DepartmentUpdateInput,
  ): Promise<DepartmentType> {
    return this.toType(ctx, await this.departments.update(ctx, code, input));
  }

  @Mutation(() => DepartmentType, {
    description: 'Deletes a department that no dossier type, dossier or staff member refers to; returns it as it was.',
  })
  @Allow('admin')
  async deleteDepartment(@Ctx() ctx: RequestContext, @Args('code') code: string): Promise<DepartmentType> {
    return this.toType(ctx, await this.departments.delete(ctx, code));
  }

  // Field resolvers are not behind the access guard (it covers root fields): the check is made here.
  @ResolveField(() => [StaffMemberType], {
    description: 'Staff working in the department, pending invitations included. For staff of the commune only.',
  })
  async members(@Parent() department: DepartmentType, @Ctx() ctx: RequestContext): Promise<StaffMemberType[]> {
    if (!ctx.commune || !ctx.user) throw new GemengError('UNAUTHENTICATED', 'Log in on this commune to see members');
    if (!(await this.identity.rolesOf(ctx)).includes('agent')) {
      throw new GemengError('FORBIDDEN', "Only the commune's staff see who works in its departments");
    }
    return (await this.departments.members(ctx, department.code)).map(toStaffMemberType);
  }

  private toType(ctx: RequestContext, department: DepartmentEntity): DepartmentType {
    return toDepartmentType(department, ctx.locale, this.directory.get(ctx.requireCommune().id).defaultLocale);
  }
}
