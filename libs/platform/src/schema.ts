import { communeEntities, communesPlatformMigrations } from '@gemeng/communes';
import { DepartmentEntity, departmentsTenantMigrations } from '@gemeng/departments';

/**
 * The schema of the whole platform, assembled from every bounded context: platform migrations run once
 * on the `platform` schema, tenant migrations in every commune's schema. Within each set, names sort in
 * the order the migrations run.
 */
export const PLATFORM_MIGRATIONS = [...communesPlatformMigrations].sort((a, b) => a.name.localeCompare(b.name));
export const TENANT_MIGRATION_LIST = [...departmentsTenantMigrations].sort((a, b) => a.name.localeCompare(b.name));

export const ENTITIES = [...communeEntities, DepartmentEntity];
