import type { SqlMigration } from '@gemeng/database';

/** The operator's register of communes, their hosts and their population figures. */
export const createCommunes: SqlMigration = {
  name: '202611230001-create-communes',
  sql: `
CREATE TABLE platform.commune (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  slug text NOT NULL UNIQUE CHECK (slug ~ '^[a-z][a-z0-9]*(-[a-z0-9]+)*$' AND length(slug) <= 40),
  status text NOT NULL DEFAULT 'provisioning' CHECK (status IN ('provisioning', 'active', 'suspended')),
  status_reason text,
  names jsonb NOT NULL,
  enabled_locales text[] NOT NULL CHECK (enabled_locales <@ ARRAY['lb', 'fr', 'de', 'en'] AND cardinality(enabled_locales) > 0),
  default_locale text NOT NULL CHECK (default_locale = ANY (enabled_locales)),
  theme jsonb NOT NULL,
  contact jsonb NOT NULL,
  -- NULL: the platform's default price applies.
  price_per_inhabitant_cents integer CHECK (price_per_inhabitant_cents >= 0),
  joined_on date NOT NULL,
  left_on date CHECK (left_on >= joined_on),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Every host a commune answers on: its subdomain of BASE_DOMAIN (stored as the label alone) and
-- custom domains, which answer only once verified.
CREATE TABLE platform.commune_domain (
  host text PRIMARY KEY CHECK (host = lower(host)),
  commune_id uuid NOT NULL REFERENCES platform.commune (id) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN ('subdomain', 'custom')),
  verified_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX commune_domain_commune_idx ON platform.commune_domain (commune_id);

CREATE TABLE platform.population_record (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  commune_id uuid NOT NULL REFERENCES platform.commune (id) ON DELETE CASCADE,
  reference_date date NOT NULL,
  inhabitants integer NOT NULL CHECK (inhabitants >= 0),
  source text NOT NULL CHECK (length(source) > 0),
  recorded_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (commune_id, reference_date)
);

-- API instances keep communes in memory, keyed by host; this tells them which commune to reload.
CREATE FUNCTION platform.notify_commune_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  changed uuid;
BEGIN
  IF TG_TABLE_NAME = 'commune' THEN
    changed := COALESCE(NEW.id, OLD.id);
  ELSE
    changed := COALESCE(NEW.commune_id, OLD.commune_id);
  END IF;
  PERFORM pg_notify('commune_changed', changed::text);
  RETURN NULL;
END $$;

CREATE TRIGGER commune_changed AFTER INSERT OR UPDATE OR DELETE ON platform.commune
  FOR EACH ROW EXECUTE FUNCTION platform.notify_commune_changed();
CREATE TRIGGER commune_domain_changed AFTER INSERT OR UPDATE OR DELETE ON platform.commune_domain
  FOR EACH ROW EXECUTE FUNCTION platform.notify_commune_changed();
`,
};
