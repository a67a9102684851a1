import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, type ValueTransformer } from 'typeorm';
import type { BillingParty, VatCategory } from '../documents/billing-document';

export type InvoiceKind = 'invoice' | 'credit-note';
/** `draft` only for what a preview returns: drafts are never stored. */
export type InvoiceStatus = 'draft' | 'issued' | 'paid' | 'credited';

/**
 * bigint and numeric columns as numbers: amounts stay far below 2^53 cents (10 million inhabitants at
 * 999,999.99 EUR is 10^15 cents), quantities below 10 million x 366, and numeric(5, 2) VAT rates are
 * exact in a double (17.00 -> 17).
 */
export const columnAsNumber: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | null) => (value === null ? null : Number(value)),
};

/** The VAT treatment columns a price and an invoice share. */
export type VatColumns = Pick<
  InvoiceEntity,
  'vatCategory' | 'vatRate' | 'vatExemptionReasonCode' | 'vatExemptionReason'
>;

/** How the buyer pays, as the seller's configuration said when the document was issued. */
export interface PaymentSnapshot {
  iban: string;
  bic?: string;
  accountName: string;
  paymentDays: number;
}

/** An issued invoice or credit note; immutable but for its status (see the migration's trigger). */
@Entity({ schema: 'platform', name: 'invoice' })
export class InvoiceEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'text' })
  kind!: InvoiceKind;

  @Column({ type: 'text' })
  number!: string;

  @Column({ type: 'integer' })
  year!: number;

  @Column({ type: 'integer' })
  sequence!: number;

  @Column({ name: 'commune_id', type: 'uuid' })
  communeId!: string;

  @Column({ name: 'period_label', type: 'text' })
  periodLabel!: string;

  @Column({ name: 'period_start', type: 'date' })
  periodStart!: string;

  @Column({ name: 'period_end', type: 'date' })
  periodEnd!: string;

  @Column({ type: 'text' })
  status!: InvoiceStatus;

  @Column({ name: 'issue_date', type: 'date' })
  issueDate!: string;

  @Column({ name: 'due_date', type: 'date' })
  dueDate!: string;

  @Column({ type: 'integer' })
  inhabitants!: number;

  @Column({ name: 'population_reference_date', type: 'date' })
  populationReferenceDate!: string;

  @Column({ name: 'population_source', type: 'text' })
  populationSource!: string;

  @Column({ name: 'price_cents', type: 'integer' })
  priceCents!: number;

  @Column({ name: 'billed_from', type: 'date' })
  billedFrom!: string;

  @Column({ name: 'billed_to', type: 'date' })
  billedTo!: string;

  @Column({ name: 'billed_days', type: 'integer' })
  billedDays!: number;

  @Column({ name: 'days_in_year', type: 'integer' })
  daysInYear!: number;

  @Column({ type: 'bigint', transformer: columnAsNumber })
  quantity!: number;

  @Column({ name: 'net_cents', type: 'bigint', transformer: columnAsNumber })
  netCents!: number;

  @Column({ name: 'tax_cents', type: 'bigint', transformer: columnAsNumber })
  taxCents!: number;

  @Column({ name: 'total_cents', type: 'bigint', transformer: columnAsNumber })
  totalCents!: number;

  @Column({ name: 'vat_category', type: 'text' })
  vatCategory!: VatCategory;

  @Column({ name: 'vat_rate', type: 'numeric', precision: 5, scale: 2, transformer: columnAsNumber })
  vatRate!: number;

  @Column({ name: 'vat_exemption_reason_code', type: 'text', nullable: true })
  vatExemptionReasonCode!: string | null;

  @Column({ name: 'vat_exemption_reason', type: 'text', nullable: true })
  vatExemptionReason!: string | null;

  @Column({ name: 'buyer_reference', type: 'text' })
  buyerReference!: string;

  @Column({ type: 'jsonb' })
  buyer!: BillingParty;

  @Column({ type: 'jsonb' })
  seller!: BillingParty;

  @Column({ type: 'jsonb' })
  payment!: PaymentSnapshot;

  @Column({ name: 'line_description', type: 'text' })
  lineDescription!: string;

  @Column({ type: 'text', nullable: true })
  note!: string | null;

  @Column({ name: 'paid_on', type: 'date', nullable: true })
  paidOn!: string | null;

  @Column({ name: 'payment_reference', type: 'text', nullable: true })
  paymentReference!: string | null;

  @Column({ name: 'related_invoice_id', type: 'uuid', nullable: true })
  relatedInvoiceId!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
