import { Args, Query, ResolveField, Resolver, Parent } from '@nestjs/graphql';
import { Allow, Ctx, InvalidInputError, isLocale, LOCALES, type RequestContext } from '@gemeng/core';
import { CommuneDirectory } from '../services/commune-directory.service';
import { communeName, type CommuneSnapshot } from '../services/commune-snapshot';
import { CommuneType } from './commune.types';

/** The commune of the host the request came to. */
@Resolver(() => CommuneType)
export class CommuneResolver {
  constructor(private readonly directory: CommuneDirectory) {}

  @Query(() => CommuneType, { description: 'The commune this host belongs to.' })
  @Allow('commune-public')
  commune(@Ctx() ctx: RequestContext): CommuneType {
    const commune = this.directory.get(ctx.requireCommune().id);
    return {
      slug: commune.slug,
      names: commune.names,
      locales: commune.enabledLocales,
      defaultLocale: commune.defaultLocale,
      theme: commune.theme,
      contact: commune.contact,
    };
  }

  @ResolveField(() => String, {
    description:
      "The name in a language (lb, fr, de, en); by default the caller's language, else the commune's default.",
  })
  name(
    @Parent() commune: CommuneType,
    @Ctx() ctx: RequestContext,
    @Args('locale', { type: () => String, nullable: true }) locale?: string,
  ): string {
    if (locale !== undefined && locale !== null && !isLocale(locale)) {
      throw new InvalidInputError('Unknown language', [
        { path: 'locale', message: `must be one of ${LOCALES.join(', ')}` },
      ]);
    }
    return communeName(
      { names: commune.names, defaultLocale: commune.defaultLocale as CommuneSnapshot['defaultLocale'] },
      locale ?? ctx.locale,
    );
  }
}
