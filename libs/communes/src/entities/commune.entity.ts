import {
  Column,
  CreateDateColumn,
  Entity,
  OneToMany,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
  type Relation,
} from 'typeorm';
import type { Locale, LocalizedText } from '@gemeng/core';
import type { ThemeColors } from '../theme/contrast';
import { CommuneDomainEntity } from './commune-domain.entity';

export type CommuneStatus = 'provisioning' | 'active' | 'suspended';

export interface ThemeValue extends ThemeColors {
  logoUrl?: string;
  coatOfArmsUrl?: string;
}

export interface OpeningHoursValue {
  days: string;
  hours: string;
}

export interface ContactValue {
  address: string;
  phone: string;
  email: string;
  website?: string;
  openingHours: OpeningHoursValue[];
}

/** What an e-invoice to the commune needs besides its name and contact address. */
export interface BillingDetailsValue {
  /** The legal name invoices are addressed to; by default the commune's name in its default language. */
  name?: string;
  /** Peppol electronic address, `scheme:identifier` (e.g. `9938:LU12345678`). */
  endpoint?: string;
  /** The reference the commune asks its suppliers to quote (BT-10), e.g. its purchase department's. */
  buyerReference?: string;
  /** VAT identifier with country prefix, when the commune has one. */
  vatId?: string;
  /** The postal address, when the contact address is not written "<street>, L-1234 <town>". */
  address?: { lines: string[]; postalCode: string; city: string; countryCode: string };
}

@Entity({ schema: 'platform', name: 'commune' })
export class CommuneEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'text', unique: true })
  slug!: string;

  @Column({ type: 'text' })
  status!: CommuneStatus;

  @Column({ name: 'status_reason', type: 'text', nullable: true })
  statusReason!: string | null;

  @Column({ type: 'jsonb' })
  names!: LocalizedText;

  @Column({ name: 'enabled_locales', type: 'text', array: true })
  enabledLocales!: Locale[];

  @Column({ name: 'default_locale', type: 'text' })
  defaultLocale!: Locale;

  @Column({ type: 'jsonb' })
  theme!: ThemeValue;

  @Column({ type: 'jsonb' })
  contact!: ContactValue;

  @Column({ name: 'price_per_inhabitant_cents', type: 'integer', nullable: true })
  pricePerInhabitantCents!: number | null;

  /** Null until the operator gives the commune's billing details. */
  @Column({ type: 'jsonb', nullable: true })
  billing!: BillingDetailsValue | null;

  @Column({ name: 'joined_on', type: 'date' })
  joinedOn!: string;

  @Column({ name: 'left_on', type: 'date', nullable: true })
  leftOn!: string | null;

  @OneToMany(() => CommuneDomainEntity, (domain) => domain.commune)
  domains!: Relation<CommuneDomainEntity[]>;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
