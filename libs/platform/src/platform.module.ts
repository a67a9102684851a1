import { Global, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import type { GemengConfig } from '@gemeng/core';
import { createDataSource, TenantTransactions } from '@gemeng/database';
import { TENANT_MIGRATIONS } from '@gemeng/communes';
import { DataSource } from 'typeorm';
import { TENANT_MIGRATION_LIST } from './migrations';
import { ENTITIES } from './schema';

export const GEMENG_CONFIG = Symbol('GEMENG_CONFIG');

export interface PlatformModuleOptions {
  config: GemengConfig;
  /** Connection string of the application's login role. */
  databaseUrl: string;
  /** Shown in pg_stat_activity, to tell the API's connections from the worker's and the CLI's. */
  applicationName: string;
}

/**
 * The plumbing every application shares: configuration, the one DataSource (one pool for all
 * communes), the tenant transaction runner and the tenant migrations.
 */
@Global()
@Module({})
export class PlatformModule implements OnApplicationShutdown {
  constructor(private readonly dataSource: DataSource) {}

  /** Closes the pool last, once the modules that use it have shut down. */
  async onApplicationShutdown(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }

  static forRoot(options: PlatformModuleOptions): DynamicModule {
    return {
      module: PlatformModule,
      providers: [
        { provide: GEMENG_CONFIG, useValue: options.config },
        {
          provide: DataSource,
          useFactory: async () =>
            createDataSource(options.databaseUrl, options.config, ENTITIES, options.applicationName).initialize(),
        },
        TenantTransactions,
        { provide: TENANT_MIGRATIONS, useValue: TENANT_MIGRATION_LIST },
      ],
      exports: [GEMENG_CONFIG, DataSource, TenantTransactions, TENANT_MIGRATIONS],
    };
  }
}
