import type { SqlMigration } from '@gemeng/database';

/**
 * The shared service catalogue, kept by the operator: life events and the service types communes choose
 * from. Tenant roles have no right on the platform schema, so communes read it only through the API,
 * never in a tenant transaction; a commune that enables a service type copies its defaults into its
 * own schema (see docs/catalogue.md).
 */
export const createServiceCatalogue: SqlMigration = {
  name: '202611230301-create-service-catalogue',
  sql: `
CREATE TABLE platform.life_event (
  code text PRIMARY KEY CHECK (code ~ '^[a-z][a-z0-9]*(-[a-z0-9]+)*$' AND length(code) <= 40),
  names jsonb NOT NULL CHECK (jsonb_typeof(names) = 'object'),
  position integer NOT NULL DEFAULT 0
);

CREATE TABLE platform.service_type (
  code text PRIMARY KEY CHECK (code ~ '^[a-z][a-z0-9]*(-[a-z0-9]+)*$' AND length(code) <= 40),
  names jsonb NOT NULL CHECK (jsonb_typeof(names) = 'object'),
  descriptions jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(descriptions) = 'object'),
  -- Codes of platform.life_event; checked by the catalogue service, as arrays cannot hold foreign keys.
  -- Empty for services that belong to no particular moment of life (an interview request).
  life_event_codes text[] NOT NULL DEFAULT '{}',
  default_stages jsonb NOT NULL
    CHECK (jsonb_typeof(default_stages) = 'array' AND jsonb_array_length(default_stages) BETWEEN 2 AND 20),
  default_norm_days integer NOT NULL CHECK (default_norm_days BETWEEN 1 AND 250),
  default_documents jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(default_documents) = 'array'),
  position integer NOT NULL DEFAULT 0,
  -- A retired service can no longer be enabled; communes that offer it already keep their copy.
  retired_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
`,
};
