// Deep imports on purpose: the migration lists are plain SQL, and whoever needs only them (the test
// harness's global setup, which runs outside jest's module sandbox) must not load the GraphQL types
// that the libraries' entry points register.
import { billingPlatformMigrations } from '../../billing/src/migrations';
import { cataloguePlatformMigrations } from '../../catalogue/src/migrations';
import { communesPlatformMigrations } from '../../communes/src/migrations';
import { departmentsTenantMigrations } from '../../departments/src/migrations';
import { documentsTenantMigrations } from '../../documents/src/migrations';
import { dossiersTenantMigrations } from '../../dossiers/src/migrations';
import { identityPlatformMigrations, identityTenantMigrations } from '../../identity/src/migrations';
import { notificationsTenantMigrations } from '../../notifications/src/migrations';

/**
 * The schema of the whole platform, assembled from every bounded context: platform migrations run once
 * on the `platform` schema, tenant migrations in every commune's schema. Within each set, names sort in
 * the order the migrations run.
 */
export const PLATFORM_MIGRATIONS = [
  ...communesPlatformMigrations,
  ...identityPlatformMigrations,
  ...cataloguePlatformMigrations,
  ...billingPlatformMigrations,
].sort((a, b) => a.name.localeCompare(b.name));
export const TENANT_MIGRATION_LIST = [
  ...departmentsTenantMigrations,
  ...identityTenantMigrations,
  ...documentsTenantMigrations,
  ...notificationsTenantMigrations,
  ...dossiersTenantMigrations,
].sort((a, b) => a.name.localeCompare(b.name));
