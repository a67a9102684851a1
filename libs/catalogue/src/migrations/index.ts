import type { SqlMigration } from '@gemeng/database';
import { createServiceCatalogue } from './202611230301-create-service-catalogue';
import { seedServiceCatalogue } from './202611230302-seed-service-catalogue';

export const cataloguePlatformMigrations: SqlMigration[] = [createServiceCatalogue, seedServiceCatalogue];
