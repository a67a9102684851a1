import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Allow, Ctx, type Locale, type RequestContext, textIn } from '@gemeng/core';
import type { ServiceTypeEntity } from '../entities/service-type.entity';
import { CatalogueService } from '../services/catalogue.service';
import { LifeEventType, ServiceTypeInput, ServiceTypeType } from './catalogue.types';
import { toDocumentType, toStageType } from './procedure.types';

/** The catalogue is written in every platform language; the operator's host negotiates none. */
const FALLBACK: Locale = 'en';

function toServiceType(type: ServiceTypeEntity, locale: Locale | undefined): ServiceTypeType {
  return {
    code: type.code,
    name: textIn(type.names, locale, FALLBACK),
    description: textIn(type.descriptions, locale, FALLBACK),
    names: type.names,
    descriptions: type.descriptions,
    lifeEvents: type.lifeEventCodes,
    normDays: type.defaultNormDays,
    stages: type.defaultStages.map((s) => toStageType(s, locale, FALLBACK)),
    documents: type.defaultDocuments.map((d) => toDocumentType(d, locale, FALLBACK)),
    retiredAt: type.retiredAt ?? undefined,
  };
}

/** The shared service catalogue: read on every commune host and by the operator, changed by the operator. */
@Resolver()
export class CatalogueResolver {
  constructor(private readonly catalogue: CatalogueService) {}

  @Query(() => [LifeEventType], {
    description: 'The catalogue by life event (moving, marriage, birth...), with the current services of each.',
  })
  @Allow('commune-public', 'operator')
  async serviceCatalogue(@Ctx() ctx: RequestContext): Promise<LifeEventType[]> {
    const [events, types] = await Promise.all([this.catalogue.lifeEvents(ctx), this.catalogue.serviceTypes(ctx)]);
    return events.map((event) => ({
      code: event.code,
      name: textIn(event.names, ctx.locale, FALLBACK),
      names: event.names,
      serviceTypes: types.filter((t) => t.lifeEventCodes.includes(event.code)).map((t) => toServiceType(t, ctx.locale)),
    }));
  }

  @Query(() => [ServiceTypeType], { description: 'Every current service of the catalogue, in catalogue order.' })
  @Allow('commune-public', 'operator')
  async serviceTypes(
    @Ctx() ctx: RequestContext,
    @Args('includeRetired', { defaultValue: false, description: 'Also the retired services.' })
    includeRetired: boolean,
  ): Promise<ServiceTypeType[]> {
    return (await this.catalogue.serviceTypes(ctx, { includeRetired })).map((t) => toServiceType(t, ctx.locale));
  }

  @Mutation(() => ServiceTypeType, {
    description: 'Adds a service type to the catalogue, or replaces the one with that code (and makes it current).',
  })
  @Allow('operator')
  async upsertServiceType(
    @Ctx() ctx: RequestContext,
    @Args('input') input: ServiceTypeInput,
  ): Promise<ServiceTypeType> {
    const saved = await this.catalogue.upsertServiceType(ctx, {
      code: input.code,
      names: input.names,
      descriptions: input.descriptions,
      lifeEventCodes: input.lifeEvents,
      normDays: input.normDays,
      stages: input.stages,
      documents: input.documents,
      position: input.position,
    });
    return toServiceType(saved, ctx.locale);
  }

  @Mutation(() => ServiceTypeType, {
    description: 'Retires a service type: no commune can enable it any more; those offering it keep their copy.',
  })
  @Allow('operator')
  async retireServiceType(@Ctx() ctx: RequestContext, @Args('code') code: string): Promise<ServiceTypeType> {
    return toServiceType(await this.catalogue.retireServiceType(ctx, code), ctx.locale);
  }
}
