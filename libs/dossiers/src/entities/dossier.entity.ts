import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { Locale } from '@gemeng/core';

export type PreferredChannel = 'in_person' | 'phone' | 'video';
export type DossierResult = 'accepted' | 'declined' | 'redirected';

/** A citizen's interview request and where it stands. */
@Entity({ name: 'dossier' })
export class DossierEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /** `<SLUG>-<year>-<six digits>`, gapless per commune and year. */
  @Column({ type: 'text' })
  reference!: string;

  @Column({ name: 'dossier_type_id', type: 'uuid' })
  dossierTypeId!: string;

  @Column({ name: 'citizen_id', type: 'uuid', nullable: true })
  citizenId!: string | null;

  @Column({ name: 'citizen_name', type: 'text' })
  citizenName!: string;

  @Column({ name: 'citizen_email', type: 'text' })
  citizenEmail!: string;

  @Column({ name: 'citizen_locale', type: 'text' })
  citizenLocale!: Locale;

  @Column({ name: 'department_id', type: 'uuid' })
  departmentId!: string;

  @Column({ name: 'assignee_id', type: 'uuid', nullable: true })
  assigneeId!: string | null;

  @Column({ name: 'stage_code', type: 'text' })
  stageCode!: string;

  @Column({ type: 'text' })
  subject!: string;

  @Column({ type: 'text' })
  description!: string;

  @Column({ name: 'preferred_channel', type: 'text' })
  preferredChannel!: PreferredChannel;

  @Column({ type: 'text', nullable: true })
  phone!: string | null;

  /** `YYYY-MM-DD` strings: pg returns dates as text here, with no time zone to shift them. */
  @Column({ name: 'preferred_dates', type: 'date', array: true })
  preferredDates!: string[];

  @Column({ name: 'submitted_at', type: 'timestamptz', default: () => 'now()' })
  submittedAt!: Date;

  @Column({ name: 'due_on', type: 'date' })
  dueOn!: string;

  @Column({ name: 'awaiting_documents', type: 'boolean' })
  awaitingDocuments!: boolean;

  @Column({ name: 'proposed_slot', type: 'timestamptz', nullable: true })
  proposedSlot!: Date | null;

  @Column({ name: 'proposed_channel', type: 'text', nullable: true })
  proposedChannel!: PreferredChannel | null;

  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true })
  closedAt!: Date | null;

  @Column({ type: 'text', nullable: true })
  result!: DossierResult | null;

  @Column({ name: 'result_message', type: 'text', nullable: true })
  resultMessage!: string | null;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}
