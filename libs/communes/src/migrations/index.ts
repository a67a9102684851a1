import { createCommunes } from './202611230001-create-communes';

export const communesPlatformMigrations = [createCommunes];
