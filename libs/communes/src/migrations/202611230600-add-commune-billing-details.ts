import type { SqlMigration } from '@gemeng/database';

/**
 * What an e-invoice needs to know about a commune as buyer: its Peppol endpoint, the buyer reference it
 * asks suppliers to quote, its VAT identifier, and its postal address where the contact address does
 * not give the postcode and town. NULL: the commune has no billing details yet.
 */
export const addCommuneBillingDetails: SqlMigration = {
  name: '202611230600-add-commune-billing-details',
  sql: `
ALTER TABLE platform.commune ADD COLUMN billing jsonb CHECK (billing IS NULL OR jsonb_typeof(billing) = 'object');
`,
};
