import type { SqlMigration } from '@gemeng/database';
import { createBilling } from './202611230601-create-billing';

export const billingPlatformMigrations: SqlMigration[] = [createBilling];
