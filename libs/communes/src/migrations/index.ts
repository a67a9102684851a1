import { createCommunes } from './202611230001-create-communes';
import { addCommuneBillingDetails } from './202611230600-add-commune-billing-details';

export const communesPlatformMigrations = [createCommunes, addCommuneBillingDetails];
