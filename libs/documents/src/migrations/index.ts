import type { SqlMigration } from '@gemeng/database';

/**
 * Files that citizens and staff upload. A document is staged (no owner) until the change it belongs to
 * attaches it, in that change's transaction; the bytes live in the document storage under
 * `storage_key`, never under a name the uploader chose.
 */
export const createDocuments: SqlMigration = {
  name: '202611230301-create-documents',
  sql: `
CREATE TABLE document (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  uploaded_by uuid REFERENCES citizen (id) ON DELETE SET NULL,
  owner_kind text CHECK (owner_kind ~ '^[a-z][a-z-]*$'),
  owner_id uuid,
  -- Which of the requested documents this is (a code of the owner's list), when the uploader said so.
  label text,
  file_name text NOT NULL CHECK (length(file_name) BETWEEN 1 AND 200),
  content_type text NOT NULL CHECK (content_type IN ('application/pdf', 'image/jpeg', 'image/png')),
  size_bytes integer NOT NULL CHECK (size_bytes > 0),
  sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  storage_key text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now(),
  attached_at timestamptz,
  CHECK ((owner_kind IS NULL) = (owner_id IS NULL)),
  CHECK ((owner_id IS NULL) = (attached_at IS NULL))
);
CREATE INDEX document_owner_idx ON document (owner_kind, owner_id);
CREATE INDEX document_staged_idx ON document (created_at) WHERE owner_id IS NULL;
`,
};

export const documentsTenantMigrations = [createDocuments];
