import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { LocalizedText } from '@gemeng/core';

/** One stage of a dossier type's procedure. */
export interface DossierStage {
  code: string;
  names: LocalizedText;
  /** The citizen gets an e-mail when their dossier reaches this stage. */
  notifiesCitizen: boolean;
  /** The closing stage: reaching it needs a result (accepted, declined, redirected) and a message. */
  final: boolean;
}

/** A document the dossier type asks the citizen for. */
export interface RequestedDocument {
  code: string;
  names: LocalizedText;
  required: boolean;
}

/** A service type of the catalogue as one commune offers it. */
@Entity({ name: 'dossier_type' })
export class DossierTypeEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'text' })
  code!: string;

  @Column({ type: 'jsonb' })
  names!: LocalizedText;

  @Column({ type: 'jsonb' })
  descriptions!: LocalizedText;

  @Column({ name: 'department_id', type: 'uuid' })
  departmentId!: string;

  @Column({ type: 'jsonb' })
  stages!: DossierStage[];

  /** The service norm: working days from submission to the expected answer. */
  @Column({ name: 'norm_days', type: 'integer' })
  normDays!: number;

  @Column({ type: 'jsonb' })
  documents!: RequestedDocument[];

  @Column({ type: 'boolean' })
  enabled!: boolean;

  @Column({ type: 'integer' })
  position!: number;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}
