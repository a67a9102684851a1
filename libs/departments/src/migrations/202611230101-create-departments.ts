import type { SqlMigration } from '@gemeng/database';

/** A commune's departments (population office, technical service, ...), in the commune's schema. */
export const createDepartments: SqlMigration = {
  name: '202611230101-create-departments',
  sql: `
CREATE TABLE department (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  code text NOT NULL UNIQUE CHECK (code ~ '^[a-z][a-z0-9]*(-[a-z0-9]+)*$'),
  names jsonb NOT NULL,
  email text,
  position integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
`,
};
