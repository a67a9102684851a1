import { Injectable } from '@nestjs/common';
import type { RequestContext } from '@gemeng/core';
import type { CommuneDefinition } from '../definition/commune-definition';

/**
 * Fills a new commune's schema from its definition. Each bounded context that keeps seeded data
 * registers one; seeders must be idempotent, since a resumed onboarding runs them again.
 */
export interface TenantSeeder {
  readonly name: string;
  seed(ctx: RequestContext, definition: CommuneDefinition): Promise<void>;
}

/** Where contexts register their seeders, so that onboarding needs to know none of them. */
@Injectable()
export class TenantSeeders {
  private readonly seeders: TenantSeeder[] = [];

  register(seeder: TenantSeeder): void {
    if (!this.seeders.some((s) => s.name === seeder.name)) this.seeders.push(seeder);
  }

  all(): readonly TenantSeeder[] {
    return this.seeders;
  }
}
