import type { SqlMigration } from '@gemeng/database';

export const cataloguePlatformMigrations: SqlMigration[] = [];
