import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { VatCategory } from '../documents/billing-document';
import { columnAsNumber, type VatColumns } from './invoice.entity';

/** A price per inhabitant per year and its VAT treatment, from a date on; for one commune or the platform. */
@Entity({ schema: 'platform', name: 'billing_price' })
export class BillingPriceEntity implements VatColumns {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /** Null: the platform default. */
  @Column({ name: 'commune_id', type: 'uuid', nullable: true })
  communeId!: string | null;

  @Column({ name: 'valid_from', type: 'date' })
  validFrom!: string;

  @Column({ name: 'cents_per_inhabitant_year', type: 'integer' })
  centsPerInhabitantYear!: number;

  @Column({ name: 'vat_category', type: 'text' })
  vatCategory!: VatCategory;

  @Column({ name: 'vat_rate', type: 'numeric', precision: 5, scale: 2, transformer: columnAsNumber })
  vatRate!: number;

  @Column({ name: 'vat_exemption_reason_code', type: 'text', nullable: true })
  vatExemptionReasonCode!: string | null;

  @Column({ name: 'vat_exemption_reason', type: 'text', nullable: true })
  vatExemptionReason!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
