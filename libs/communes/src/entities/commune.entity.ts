import {
  Column,
  CreateDateColumn,
  Entity,
  OneToMany,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
  type Relation,
} from 'typeorm';
import type { Locale } from '@gemeng/core';
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

export type LocalizedValue = Partial<Record<Locale, string>>;

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
  names!: LocalizedValue;

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
