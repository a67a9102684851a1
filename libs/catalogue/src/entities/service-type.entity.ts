import type { LocalizedText } from '@gemeng/core';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { ProcedureDocument, ProcedureStage } from '../rules/procedure-rules';

/**
 * A service of the shared catalogue, kept by the operator. A commune that enables it gets its own copy of
 * the defaults (a dossier type) and adapts it; later changes here do not touch the communes' copies.
 */
@Entity({ schema: 'platform', name: 'service_type' })
export class ServiceTypeEntity {
  @PrimaryColumn({ type: 'text' })
  code!: string;

  @Column({ type: 'jsonb' })
  names!: LocalizedText;

  @Column({ type: 'jsonb' })
  descriptions!: LocalizedText;

  @Column({ name: 'life_event_codes', type: 'text', array: true })
  lifeEventCodes!: string[];

  @Column({ name: 'default_stages', type: 'jsonb' })
  defaultStages!: ProcedureStage[];

  /** The default service norm: working days from submission to the expected answer. */
  @Column({ name: 'default_norm_days', type: 'integer' })
  defaultNormDays!: number;

  @Column({ name: 'default_documents', type: 'jsonb' })
  defaultDocuments!: ProcedureDocument[];

  @Column({ type: 'integer' })
  position!: number;

  /** Set once the operator retires the service: communes can no longer enable it. */
  @Column({ name: 'retired_at', type: 'timestamptz', nullable: true })
  retiredAt!: Date | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}
