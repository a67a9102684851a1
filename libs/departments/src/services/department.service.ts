import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { RequestContext } from '@gemeng/core';
import { TenantTransactions } from '@gemeng/database';
import { TenantSeeders, type CommuneDefinition } from '@gemeng/communes';
import { DepartmentEntity } from '../entities/department.entity';

/** The departments of the commune in the request context. */
@Injectable()
export class DepartmentService implements OnModuleInit {
  constructor(
    private readonly transactions: TenantTransactions,
    private readonly seeders: TenantSeeders,
  ) {}

  onModuleInit(): void {
    this.seeders.register({ name: 'departments', seed: (ctx, definition) => this.seed(ctx, definition) });
  }

  /** The commune's departments in the order it lists them. */
  async list(ctx: RequestContext): Promise<DepartmentEntity[]> {
    return this.transactions.run(ctx, (manager) =>
      manager.getRepository(DepartmentEntity).find({ order: { position: 'ASC', code: 'ASC' } }),
    );
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
}
