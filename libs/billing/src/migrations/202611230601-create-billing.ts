import type { SqlMigration } from '@gemeng/database';

/**
 * Per-capita billing: dated prices with their VAT treatment, invoices and credit notes, and the
 * counters that number them without gaps. Issued documents are immutable, in the database too.
 */
export const createBilling: SqlMigration = {
  name: '202611230601-create-billing',
  sql: `
-- commune_id NULL: the platform default. A row holds from valid_from until the next row of the same
-- commune (or of the default). The VAT rules of each category (EN 16931 BR-S/E/Z/O) are checked here too.
CREATE TABLE platform.billing_price (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  commune_id uuid REFERENCES platform.commune (id) ON DELETE CASCADE,
  valid_from date NOT NULL,
  cents_per_inhabitant_year integer NOT NULL CHECK (cents_per_inhabitant_year >= 0),
  vat_category text NOT NULL CHECK (vat_category IN ('S', 'E', 'Z', 'O')),
  vat_rate numeric(5, 2) NOT NULL CHECK ((vat_category = 'S') = (vat_rate > 0) AND vat_rate >= 0 AND vat_rate < 100),
  vat_exemption_reason_code text,
  vat_exemption_reason text,
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK (vat_category NOT IN ('E', 'O') OR vat_exemption_reason_code IS NOT NULL OR vat_exemption_reason IS NOT NULL),
  CHECK (vat_category NOT IN ('S', 'Z') OR (vat_exemption_reason_code IS NULL AND vat_exemption_reason IS NULL)),
  CONSTRAINT billing_price_commune_valid_from_key UNIQUE NULLS NOT DISTINCT (commune_id, valid_from)
);

-- The platform default: 20.00 EUR per inhabitant per year, not subject to VAT. The operator is an
-- intercommunal syndicate billing its member communes as a public authority (docs/billing.md says why
-- and how to change it).
INSERT INTO platform.billing_price
  (commune_id, valid_from, cents_per_inhabitant_year, vat_category, vat_rate, vat_exemption_reason_code, vat_exemption_reason)
VALUES (NULL, '2000-01-01', 2000, 'O', 0, 'VATEX-EU-O', 'Not subject to VAT');

-- The last number given per year and kind. Taken with INSERT ... ON CONFLICT DO UPDATE ... RETURNING in
-- the transaction that issues the document: a rollback gives the number back, and concurrent issuers
-- queue on the row lock, so numbers have no gap.
CREATE TABLE platform.invoice_number_counter (
  year integer NOT NULL,
  kind text NOT NULL CHECK (kind IN ('invoice', 'credit-note')),
  last_number integer NOT NULL CHECK (last_number > 0),
  PRIMARY KEY (year, kind)
);

-- An issued invoice or credit note, with everything it says frozen at issue: the figures it was computed
-- from, the amounts, and the seller, buyer and payment details (the shapes the PDF and the UBL render).
-- Credit notes repeat the amounts of the invoice they correct as positive amounts (UBL CreditNote).
-- Drafts are never stored: a preview computes them and returns them.
CREATE TABLE platform.invoice (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  kind text NOT NULL CHECK (kind IN ('invoice', 'credit-note')),
  number text NOT NULL UNIQUE CHECK (number ~ '^(INV|CN)-[0-9]{4}-[0-9]{6,}$'),
  year integer NOT NULL,
  sequence integer NOT NULL CHECK (sequence > 0),
  commune_id uuid NOT NULL REFERENCES platform.commune (id) ON DELETE RESTRICT,
  period_label text NOT NULL,
  period_start date NOT NULL,
  period_end date NOT NULL,
  status text NOT NULL CHECK (status IN ('issued', 'paid', 'credited')),
  issue_date date NOT NULL,
  due_date date NOT NULL,
  inhabitants integer NOT NULL CHECK (inhabitants >= 0),
  population_reference_date date NOT NULL,
  population_source text NOT NULL,
  price_cents integer NOT NULL CHECK (price_cents >= 0),
  billed_from date NOT NULL,
  billed_to date NOT NULL,
  billed_days integer NOT NULL,
  days_in_year integer NOT NULL CHECK (days_in_year IN (365, 366)),
  quantity bigint NOT NULL CHECK (quantity = inhabitants::bigint * billed_days),
  net_cents bigint NOT NULL CHECK (net_cents >= 0),
  tax_cents bigint NOT NULL CHECK (tax_cents >= 0),
  total_cents bigint NOT NULL CHECK (total_cents = net_cents + tax_cents),
  vat_category text NOT NULL CHECK (vat_category IN ('S', 'E', 'Z', 'O')),
  vat_rate numeric(5, 2) NOT NULL CHECK ((vat_category = 'S') = (vat_rate > 0) AND vat_rate >= 0),
  vat_exemption_reason_code text,
  vat_exemption_reason text,
  buyer_reference text NOT NULL CHECK (length(buyer_reference) > 0),
  buyer jsonb NOT NULL,
  seller jsonb NOT NULL,
  payment jsonb NOT NULL,
  line_description text NOT NULL,
  note text,
  paid_on date,
  payment_reference text,
  -- A credit note: the invoice it corrects; a credited invoice: its credit note.
  related_invoice_id uuid REFERENCES platform.invoice (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK (period_end >= period_start AND extract(year FROM period_start) = extract(year FROM period_end)),
  CHECK (billed_from >= period_start AND billed_to <= period_end AND billed_days = billed_to - billed_from + 1),
  CHECK (due_date >= issue_date AND extract(year FROM issue_date) = year),
  CHECK (status <> 'paid' OR (paid_on IS NOT NULL AND payment_reference IS NOT NULL)),
  CHECK (paid_on IS NULL OR (status IN ('paid', 'credited') AND paid_on >= issue_date)),
  CHECK (status <> 'credited' OR related_invoice_id IS NOT NULL),
  CHECK (kind = 'invoice' OR (status = 'issued' AND related_invoice_id IS NOT NULL AND paid_on IS NULL)),
  UNIQUE (kind, year, sequence)
);
-- One invoice per commune and period: what makes a billing run idempotent. A credited invoice no
-- longer counts, so the period can be invoiced again once corrected.
CREATE UNIQUE INDEX invoice_commune_period_key ON platform.invoice (commune_id, period_start, period_end)
  WHERE kind = 'invoice' AND status <> 'credited';
-- An invoice is credited once.
CREATE UNIQUE INDEX invoice_credit_note_key ON platform.invoice (related_invoice_id) WHERE kind = 'credit-note';
CREATE INDEX invoice_commune_idx ON platform.invoice (commune_id, issue_date);
CREATE INDEX invoice_year_idx ON platform.invoice (year, kind);

-- A document changes only by its status: issued -> paid (with the payment's date and
-- reference), issued or paid -> credited (with its credit note). Nothing else of it may change, and it
-- is never deleted: the law keeps invoices for ten years, and a mistake is corrected by a credit note.
CREATE FUNCTION platform.guard_issued_invoice() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'Invoice % is issued and cannot be deleted; a credit note corrects it', OLD.number
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  IF to_jsonb(NEW) - ARRAY['status', 'paid_on', 'payment_reference', 'related_invoice_id']
     IS DISTINCT FROM to_jsonb(OLD) - ARRAY['status', 'paid_on', 'payment_reference', 'related_invoice_id'] THEN
    RAISE EXCEPTION 'Invoice % is issued: its number, dates, amounts, lines and parties cannot change', OLD.number
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  IF (NEW.status, NEW.paid_on, NEW.payment_reference, NEW.related_invoice_id)
     IS NOT DISTINCT FROM (OLD.status, OLD.paid_on, OLD.payment_reference, OLD.related_invoice_id) THEN
    RETURN NEW;
  END IF;
  IF OLD.kind = 'invoice' AND OLD.status = 'issued' AND NEW.status = 'paid'
     AND NEW.related_invoice_id IS NOT DISTINCT FROM OLD.related_invoice_id THEN
    RETURN NEW;
  END IF;
  IF OLD.kind = 'invoice' AND OLD.status IN ('issued', 'paid') AND NEW.status = 'credited'
     AND OLD.related_invoice_id IS NULL
     AND (NEW.paid_on, NEW.payment_reference) IS NOT DISTINCT FROM (OLD.paid_on, OLD.payment_reference) THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'Invoice % is %: that change of status or payment is not allowed', OLD.number, OLD.status
    USING ERRCODE = 'integrity_constraint_violation';
END $$;

CREATE TRIGGER invoice_immutable BEFORE UPDATE OR DELETE ON platform.invoice
  FOR EACH ROW EXECUTE FUNCTION platform.guard_issued_invoice();

CREATE FUNCTION platform.refuse_invoice_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'Invoices are never deleted' USING ERRCODE = 'integrity_constraint_violation';
END $$;

CREATE TRIGGER invoice_no_truncate BEFORE TRUNCATE ON platform.invoice
  FOR EACH STATEMENT EXECUTE FUNCTION platform.refuse_invoice_truncate();
`,
};
