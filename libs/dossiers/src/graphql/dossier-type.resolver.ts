import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Allow, Ctx, type Locale, type RequestContext } from '@gemeng/core';
import { CommuneDirectory } from '@gemeng/communes';
import { DepartmentService, type DepartmentEntity } from '@gemeng/departments';
import type { DossierTypeEntity } from '../entities/dossier-type.entity';
import { DossierTypeService } from '../services/dossier-type.service';
import { DossierTypeUpdateInput, EnableDossierTypeInput } from './dossier-type.inputs';
import { DossierTypeType, toDossierTypeType } from './dossier-type.types';

/** The commune's dossier types: what citizens can submit, and the administrator's configuration of it. */
@Resolver(() => DossierTypeType)
export class DossierTypeResolver {
  constructor(
    private readonly service: DossierTypeService,
    private readonly departments: DepartmentService,
    private readonly directory: CommuneDirectory,
  ) {}

  @Query(() => [DossierTypeType], { description: 'The services citizens can submit a dossier for on this commune.' })
  @Allow('commune-public')
  async dossierTypes(@Ctx() ctx: RequestContext): Promise<DossierTypeType[]> {
    return this.toTypes(ctx, await this.service.list(ctx));
  }

  @Query(() => [DossierTypeType], { description: 'Every dossier type of the commune, disabled ones included.' })
  @Allow('agent')
  async allDossierTypes(@Ctx() ctx: RequestContext): Promise<DossierTypeType[]> {
    return this.toTypes(ctx, await this.service.list(ctx, { includeDisabled: true }));
  }

  @Mutation(() => DossierTypeType, {
    description: "Offers a service of the catalogue, with the catalogue's defaults for whatever is left out.",
  })
  @Allow('admin')
  async enableDossierType(
    @Ctx() ctx: RequestContext,
    @Args('input') input: EnableDossierTypeInput,
  ): Promise<DossierTypeType> {
    const { serviceTypeCode, ...settings } = input;
    return this.toType(ctx, await this.service.enable(ctx, serviceTypeCode, settings));
  }

  @Mutation(() => DossierTypeType, { description: 'Changes a dossier type; open dossiers keep their stage.' })
  @Allow('admin')
  async updateDossierType(
    @Ctx() ctx: RequestContext,
    @Args('code') code: string,
    @Args('input') input: DossierTypeUpdateInput,
  ): Promise<DossierTypeType> {
    return this.toType(ctx, await this.service.update(ctx, code, input));
  }

  @Mutation(() => DossierTypeType, {
    description: 'Stops new submissions of a dossier type; dossiers already submitted go on.',
  })
  @Allow('admin')
  async disableDossierType(@Ctx() ctx: RequestContext, @Args('code') code: string): Promise<DossierTypeType> {
    return this.toType(ctx, await this.service.setEnabled(ctx, code, false));
  }

  @Mutation(() => DossierTypeType, { description: 'Takes new submissions of a disabled dossier type again.' })
  @Allow('admin')
  async reenableDossierType(@Ctx() ctx: RequestContext, @Args('code') code: string): Promise<DossierTypeType> {
    return this.toType(ctx, await this.service.setEnabled(ctx, code, true));
  }

  /**
   * Departments are read once for the whole list, not per dossier type: sibling fields would otherwise
   * queue their queries on the request's one connection.
   */
  private async toTypes(ctx: RequestContext, types: DossierTypeEntity[]): Promise<DossierTypeType[]> {
    const fallback = this.defaultLocale(ctx);
    const departments = new Map((await this.departments.list(ctx)).map((d) => [d.id, d]));
    return types.map((t) => {
      const department = departments.get(t.departmentId) as DepartmentEntity;
      return toDossierTypeType(t, department, ctx.locale, fallback);
    });
  }

  private async toType(ctx: RequestContext, type: DossierTypeEntity): Promise<DossierTypeType> {
    const department = await this.departments.get(ctx, type.departmentId);
    return toDossierTypeType(type, department, ctx.locale, this.defaultLocale(ctx));
  }

  private defaultLocale(ctx: RequestContext): Locale {
    return this.directory.get(ctx.requireCommune().id).defaultLocale;
  }
}
