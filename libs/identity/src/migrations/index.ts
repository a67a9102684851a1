import type { SqlMigration } from '@gemeng/database';

/** Login sessions of every host, in the shape of connect-pg-simple's store; commune-bound by content. */
export const createSessions: SqlMigration = {
  name: '202611230002-create-sessions',
  sql: `
CREATE TABLE platform.session (
  sid varchar NOT NULL PRIMARY KEY,
  sess json NOT NULL,
  expire timestamptz NOT NULL
);
CREATE INDEX session_expire_idx ON platform.session (expire);
`,
};

/** A commune's citizens (one profile per person and commune) and its staff. */
export const createCitizensAndStaff: SqlMigration = {
  name: '202611230201-create-citizens-and-staff',
  sql: `
CREATE TABLE citizen (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  -- The OpenID provider's subject: stable, unlike the e-mail address.
  subject text NOT NULL UNIQUE,
  email text NOT NULL,
  name text NOT NULL,
  locale text CHECK (locale IN ('lb', 'fr', 'de', 'en')),
  notification_preferences jsonb NOT NULL DEFAULT '{"email": true}',
  created_at timestamptz NOT NULL DEFAULT now(),
  last_login_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE staff_member (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  email text NOT NULL UNIQUE CHECK (email = lower(email)),
  role text NOT NULL CHECK (role IN ('admin', 'agent')),
  department_codes text[] NOT NULL DEFAULT '{}',
  citizen_id uuid UNIQUE REFERENCES citizen (id) ON DELETE SET NULL,
  invited_by text,
  invited_at timestamptz NOT NULL DEFAULT now(),
  joined_at timestamptz
);
`,
};

export const identityPlatformMigrations = [createSessions];
export const identityTenantMigrations = [createCitizensAndStaff];
