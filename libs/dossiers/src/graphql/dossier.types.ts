import { Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import type { DossierEntity } from '../entities/dossier.entity';
import type { DossierView } from '../services/dossier.service';

export enum PreferredChannelValue {
  IN_PERSON = 'in_person',
  PHONE = 'phone',
  VIDEO = 'video',
}
registerEnumType(PreferredChannelValue, {
  name: 'PreferredChannel',
  description: 'How the citizen would like to meet: at the desk, called back by phone, or by video.',
});

export enum DossierResultValue {
  ACCEPTED = 'accepted',
  DECLINED = 'declined',
  REDIRECTED = 'redirected',
}
registerEnumType(DossierResultValue, { name: 'DossierResult' });

export enum NoteVisibilityValue {
  PUBLIC = 'public',
  INTERNAL = 'internal',
}
registerEnumType(NoteVisibilityValue, {
  name: 'NoteVisibility',
  description: 'PUBLIC notes are part of the history the citizen sees; INTERNAL notes are for staff only.',
});

export enum DossierEventKindValue {
  SUBMITTED = 'submitted',
  ASSIGNED = 'assigned',
  STAGE_CHANGED = 'stage-changed',
  NOTE = 'note',
  DOCUMENTS_REQUESTED = 'documents-requested',
  DOCUMENTS_ADDED = 'documents-added',
  FORWARDED = 'forwarded',
  APPOINTMENT_PROPOSED = 'appointment-proposed',
  CLOSED = 'closed',
  MESSAGE = 'message',
}
registerEnumType(DossierEventKindValue, { name: 'DossierEventKind' });

@ObjectType('DossierStageProgress', {
  description: "One stage of the dossier's procedure, and whether it was reached.",
})
export class DossierStageProgressType {
  @Field() code!: string;
  @Field({ description: "In the caller's language." }) name!: string;
  @Field() final!: boolean;
  @Field({ description: 'The dossier is at this stage or went past it.' }) reached!: boolean;
  @Field() current!: boolean;
}

@ObjectType('DossierDepartment')
export class DossierDepartmentType {
  @Field() code!: string;
  @Field() name!: string;
}

@ObjectType('DossierPerson')
export class DossierPersonType {
  @Field() name!: string;
  @Field({ nullable: true }) email?: string;
}

@ObjectType('DossierAppointment')
export class DossierAppointmentType {
  @Field() startsAt!: Date;
  @Field(() => PreferredChannelValue) channel!: PreferredChannelValue;
}

@ObjectType('DossierEvent', { description: "One change in the dossier's history." })
export class DossierEventType {
  @Field(() => ID) id!: string;
  @Field() at!: Date;
  @Field(() => DossierEventKindValue) kind!: DossierEventKindValue;
  @Field(() => NoteVisibilityValue) visibility!: NoteVisibilityValue;
  @Field({ description: 'citizen, staff or system.' }) actorKind!: string;
  @Field() actorName!: string;
  @Field({ nullable: true, description: 'The note, message or result message.' }) text?: string;
  @Field({ nullable: true }) fromStage?: string;
  @Field({ nullable: true }) toStage?: string;
  @Field({ nullable: true }) fromDepartment?: string;
  @Field({ nullable: true }) toDepartment?: string;
  @Field(() => [String], { description: 'Names of the documents asked for.' }) requestedDocuments!: string[];
  @Field(() => [String], { description: 'File names of the documents added.' }) documentNames!: string[];
  @Field(() => DossierAppointmentType, { nullable: true }) appointment?: DossierAppointmentType;
  @Field(() => DossierResultValue, { nullable: true }) result?: DossierResultValue;
  @Field({ nullable: true, description: 'Audit trail, for staff: where the change came from.' }) clientAddress?: string;
  @Field({ nullable: true, description: 'Audit trail, for staff.' }) userAgent?: string;
}

@ObjectType('Dossier', { description: 'An interview request and where it stands.' })
export class DossierType {
  @Field(() => ID) id!: string;
  @Field({ description: 'The reference to quote, e.g. ESCH-2026-000123.' }) reference!: string;
  @Field() typeCode!: string;
  @Field() typeName!: string;
  @Field() subject!: string;
  @Field() description!: string;
  @Field(() => PreferredChannelValue) preferredChannel!: PreferredChannelValue;
  @Field({ nullable: true }) phone?: string;
  @Field(() => [String], { description: 'Dates the citizen prefers, YYYY-MM-DD.' }) preferredDates!: string[];
  @Field(() => DossierStageProgressType) stage!: DossierStageProgressType;
  @Field(() => [DossierStageProgressType], { description: 'Every stage of the procedure, in order: what comes next.' })
  stages!: DossierStageProgressType[];
  @Field(() => DossierDepartmentType, { description: 'The department handling the dossier now.' })
  department!: DossierDepartmentType;
  @Field(() => DossierPersonType) citizen!: DossierPersonType;
  @Field() submittedAt!: Date;
  @Field({ description: 'The expected answer date from the service norm, in working days (YYYY-MM-DD).' })
  dueOn!: string;
  @Field({ description: 'Open past its expected date.' }) overdue!: boolean;
  @Field({ description: 'The commune asked for documents and waits for them.' }) awaitingDocuments!: boolean;
  @Field(() => DossierAppointmentType, { nullable: true }) proposedAppointment?: DossierAppointmentType;
  @Field(() => DossierResultValue, { nullable: true }) result?: DossierResultValue;
  @Field({ nullable: true }) resultMessage?: string;
  @Field({ nullable: true }) closedAt?: Date;

  /** What the field resolvers (history, documents, assignee) need; not part of the schema. */
  entity!: DossierEntity;
  view!: DossierView;
}

@ObjectType('DossierUpdate', { description: 'A change of a followed dossier, pushed live.' })
export class DossierUpdateType {
  @Field(() => DossierType) dossier!: DossierType;
  @Field(() => DossierEventType) event!: DossierEventType;
}
