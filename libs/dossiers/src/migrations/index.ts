import type { SqlMigration } from '@gemeng/database';

/**
 * Interview requests ("demandes d'entrevue") and the dossier types a commune enables from the shared
 * catalogue. A dossier type names its stages in a JSON list (ordered; exactly one, the last, is final);
 * dossiers and their history keep the stage's code, and the history keeps the names as they were.
 */
export const createDossiers: SqlMigration = {
  name: '202611230501-create-dossiers',
  sql: `
CREATE TABLE dossier_type (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  -- The catalogue's service type code; a commune enables each service type at most once.
  code text NOT NULL UNIQUE CHECK (code ~ '^[a-z][a-z0-9]*(-[a-z0-9]+)*$'),
  names jsonb NOT NULL,
  descriptions jsonb NOT NULL DEFAULT '{}',
  department_id uuid NOT NULL REFERENCES department (id),
  stages jsonb NOT NULL CHECK (jsonb_typeof(stages) = 'array' AND jsonb_array_length(stages) >= 2),
  norm_days integer NOT NULL CHECK (norm_days BETWEEN 1 AND 250),
  documents jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(documents) = 'array'),
  enabled boolean NOT NULL DEFAULT true,
  position integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- One row per year; taking a number updates the row, so concurrent submissions queue on its lock and a
-- rolled-back submission gives its number back: references have no gaps.
CREATE TABLE dossier_reference_counter (
  year integer PRIMARY KEY,
  last_number integer NOT NULL CHECK (last_number > 0)
);

CREATE TABLE dossier (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  reference text NOT NULL UNIQUE,
  dossier_type_id uuid NOT NULL REFERENCES dossier_type (id),
  -- The citizen's profile; the contact they submitted with is kept, as the commune's record needs it.
  citizen_id uuid REFERENCES citizen (id) ON DELETE SET NULL,
  citizen_name text NOT NULL,
  citizen_email text NOT NULL,
  citizen_locale text NOT NULL CHECK (citizen_locale IN ('lb', 'fr', 'de', 'en')),
  department_id uuid NOT NULL REFERENCES department (id),
  assignee_id uuid REFERENCES staff_member (id) ON DELETE SET NULL,
  stage_code text NOT NULL,
  subject text NOT NULL CHECK (length(subject) BETWEEN 1 AND 200),
  description text NOT NULL CHECK (length(description) <= 5000),
  preferred_channel text NOT NULL CHECK (preferred_channel IN ('in_person', 'phone', 'video')),
  phone text CHECK (length(phone) <= 40),
  preferred_dates date[] NOT NULL DEFAULT '{}',
  submitted_at timestamptz NOT NULL DEFAULT now(),
  due_on date NOT NULL,
  awaiting_documents boolean NOT NULL DEFAULT false,
  proposed_slot timestamptz,
  proposed_channel text CHECK (proposed_channel IN ('in_person', 'phone', 'video')),
  closed_at timestamptz,
  result text CHECK (result IN ('accepted', 'declined', 'redirected')),
  result_message text,
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((closed_at IS NULL) = (result IS NULL)),
  CHECK ((proposed_slot IS NULL) = (proposed_channel IS NULL))
);
CREATE INDEX dossier_inbox_idx ON dossier (department_id, due_on) WHERE closed_at IS NULL;
CREATE INDEX dossier_citizen_idx ON dossier (citizen_id, submitted_at DESC);

-- The dossier's history and audit trail in one: every change, who made it, when, and from where.
-- Public events are the citizen's view of the history; internal ones are for staff only.
CREATE TABLE dossier_event (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  dossier_id uuid NOT NULL REFERENCES dossier (id),
  at timestamptz NOT NULL DEFAULT now(),
  kind text NOT NULL CHECK (kind IN ('submitted', 'assigned', 'stage-changed', 'note', 'documents-requested',
    'documents-added', 'forwarded', 'appointment-proposed', 'closed', 'message')),
  visibility text NOT NULL CHECK (visibility IN ('public', 'internal')),
  actor_kind text NOT NULL CHECK (actor_kind IN ('citizen', 'staff', 'system')),
  actor_id uuid,
  actor_name text NOT NULL,
  client_address text,
  user_agent text,
  data jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX dossier_event_dossier_idx ON dossier_event (dossier_id, id);
`,
};

export const dossiersTenantMigrations = [createDossiers];
