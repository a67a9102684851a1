import type { SqlMigration } from '@gemeng/database';

/**
 * The transactional outbox of a commune: whatever must notify someone writes a row here in the same
 * transaction as the change. The trigger wakes the relay at commit (NOTIFY is transactional), with the
 * schema's name as payload; the relay also sweeps every commune now and then for rows it missed.
 * `notification_delivery` is the idempotency record: one row per outbox row that was sent or gave up.
 */
export const createOutbox: SqlMigration = {
  name: '202611230401-create-outbox',
  sql: `
CREATE TABLE outbox (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('email')),
  payload jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  relayed_at timestamptz
);
CREATE INDEX outbox_pending_idx ON outbox (id) WHERE relayed_at IS NULL;

CREATE TABLE notification_delivery (
  outbox_id bigint PRIMARY KEY REFERENCES outbox (id),
  status text NOT NULL CHECK (status IN ('sent', 'failed')),
  attempts integer NOT NULL,
  message_id text,
  last_error text,
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE FUNCTION outbox_wake_relay() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('gemeng_outbox', TG_TABLE_SCHEMA);
  RETURN NULL;
END
$$;
CREATE TRIGGER outbox_wake_relay AFTER INSERT ON outbox FOR EACH STATEMENT EXECUTE FUNCTION outbox_wake_relay();
`,
};

/**
 * `relay_count` counts the hand-overs of a row to the queue and is part of the job id: a relay that
 * hands a row over again after a crash or a rollback repeats the same job id (which BullMQ ignores),
 * while a retry of a failed notification, which clears `relayed_at`, makes a new job. Failed
 * deliveries are looked up by the status command, hence the partial index.
 */
export const addOutboxRelayCount: SqlMigration = {
  name: '202611230402-outbox-relay-count',
  sql: `
ALTER TABLE outbox ADD COLUMN relay_count integer NOT NULL DEFAULT 0 CHECK (relay_count >= 0);
CREATE INDEX notification_delivery_failed_idx ON notification_delivery (outbox_id) WHERE status = 'failed';
`,
};

export const notificationsTenantMigrations = [createOutbox, addOutboxRelayCount];
