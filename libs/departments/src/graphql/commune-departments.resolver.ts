import { Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { Ctx, type RequestContext } from '@gemeng/core';
import { CommuneType } from '@gemeng/communes';
import { DepartmentService } from '../services/department.service';
import { DepartmentType, toDepartmentType } from './department.types';

@Resolver(() => CommuneType)
export class CommuneDepartmentsResolver {
  constructor(private readonly departmentService: DepartmentService) {}

  @ResolveField(() => [DepartmentType], { description: "The commune's departments." })
  async departments(@Parent() commune: CommuneType, @Ctx() ctx: RequestContext): Promise<DepartmentType[]> {
    const defaultLocale = commune.defaultLocale as NonNullable<RequestContext['locale']>;
    return (await this.departmentService.list(ctx)).map((d) => toDepartmentType(d, ctx.locale, defaultLocale));
  }
}
