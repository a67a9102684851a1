import type { LocalizedText } from '@gemeng/core';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { DossierResult, PreferredChannel } from './dossier.entity';

/** A stage or department as it was named when the event happened. */
export interface NamedSnapshot {
  code: string;
  names: LocalizedText;
}

/** What changed; which fields are set depends on the event's kind. */
export interface DossierEventData {
  text?: string;
  from?: NamedSnapshot;
  to?: NamedSnapshot;
  stage?: NamedSnapshot;
  department?: NamedSnapshot;
  requested?: NamedSnapshot[];
  documents?: { id: string; fileName: string }[];
  startsAt?: string;
  channel?: PreferredChannel;
  result?: DossierResult;
  assignee?: string;
}

export type DossierEventKind =
  | 'submitted'
  | 'assigned'
  | 'stage-changed'
  | 'note'
  | 'documents-requested'
  | 'documents-added'
  | 'forwarded'
  | 'appointment-proposed'
  | 'closed'
  | 'message';

export type DossierEventVisibility = 'public' | 'internal';

/** One change of a dossier: its history for the citizen (public events) and its audit trail. */
@Entity({ name: 'dossier_event' })
export class DossierEventEntity {
  @PrimaryColumn({ type: 'bigint', generated: 'identity' })
  id!: string;

  @Column({ name: 'dossier_id', type: 'uuid' })
  dossierId!: string;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  at!: Date;

  @Column({ type: 'text' })
  kind!: DossierEventKind;

  @Column({ type: 'text' })
  visibility!: DossierEventVisibility;

  @Column({ name: 'actor_kind', type: 'text' })
  actorKind!: 'citizen' | 'staff' | 'system';

  @Column({ name: 'actor_id', type: 'uuid', nullable: true })
  actorId!: string | null;

  @Column({ name: 'actor_name', type: 'text' })
  actorName!: string;

  @Column({ name: 'client_address', type: 'text', nullable: true })
  clientAddress!: string | null;

  @Column({ name: 'user_agent', type: 'text', nullable: true })
  userAgent!: string | null;

  @Column({ type: 'jsonb' })
  data!: DossierEventData;
}
