import { Injectable, type OnModuleInit } from '@nestjs/common';
import {
  ConflictError,
  GemengError,
  type InputProblem,
  InvalidInputError,
  luxembourgDate,
  type Locale,
  NotFoundError,
  type RequestContext,
  textIn,
} from '@gemeng/core';
import { TenantTransactions } from '@gemeng/database';
import { CommuneDirectory } from '@gemeng/communes';
import { DepartmentService, type DepartmentEntity } from '@gemeng/departments';
import { DocumentService, type DocumentEntity } from '@gemeng/documents';
import { IdentityService, type CitizenEntity, type StaffMemberEntity } from '@gemeng/identity';
import { LiveEvents } from '@gemeng/live';
import { OutboxService, type EmailNotification } from '@gemeng/notifications';
import type { EntityManager } from 'typeorm';
import { addWorkingDays } from '../calendar/working-days';
import {
  DossierEventEntity,
  type DossierEventData,
  type DossierEventKind,
  type DossierEventVisibility,
} from '../entities/dossier-event.entity';
import type { DossierStage, DossierTypeEntity, RequestedDocument } from '../entities/dossier-type.entity';
import { DossierEntity, type DossierResult, type PreferredChannel } from '../entities/dossier.entity';
import { DossierTypeService, finalStage, firstStage } from './dossier-type.service';
import { formatReference } from './reference';

export const DOSSIER_DOCUMENTS = 'dossier';

/** The live topic of one dossier. */
export function dossierTopic(dossierId: string): string {
  return `dossier:${dossierId}`;
}

export interface AttachedDocument {
  id: string;
  /** The code of the requested document this is, from the dossier type's list. */
  label?: string;
}

export interface DossierSubmission {
  typeCode: string;
  subject: string;
  description: string;
  preferredChannel: PreferredChannel;
  phone?: string;
  /** `YYYY-MM-DD`, on or after today. */
  preferredDates: string[];
  documents: AttachedDocument[];
}

export interface InboxFilter {
  stageCode?: string;
  assignedToMe?: boolean;
  includeClosed?: boolean;
  limit?: number;
  offset?: number;
}

/** How the caller sees a dossier: as its citizen, or as staff who handle it (internal notes included). */
export type DossierView = 'citizen' | 'staff';

/** The dossier types and departments that dossiers refer to, read once for a whole list of dossiers. */
export interface DossierReferences {
  typeOf(dossier: DossierEntity): DossierTypeEntity;
  departmentOf(dossier: DossierEntity): DepartmentEntity;
}

/** Who is acting, looked up once per call. */
interface Viewer {
  citizen: CitizenEntity;
  staff: StaffMemberEntity | null;
  admin: boolean;
  /** Ids of the departments the caller works in. */
  departmentIds: Set<string>;
}

const MAX_PREFERRED_DATES = 10;
const MAX_TEXT = 5000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function isRealDate(iso: string): boolean {
  const date = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === iso;
}

/**
 * Interview requests of the commune in the request context: citizens submit and follow them, agents of
 * the handling department work them stage by stage. Every change is one transaction that also writes
 * the dossier's history (its audit trail), the e-mails it causes (outbox) and, after commit, a live event.
 */
@Injectable()
export class DossierService implements OnModuleInit {
  constructor(
    private readonly transactions: TenantTransactions,
    private readonly identity: IdentityService,
    private readonly departments: DepartmentService,
    private readonly types: DossierTypeService,
    private readonly documents: DocumentService,
    private readonly outbox: OutboxService,
    private readonly live: LiveEvents,
    private readonly directory: CommuneDirectory,
  ) {}

  onModuleInit(): void {
    this.documents.registerOwner(DOSSIER_DOCUMENTS, async (ctx, dossierId) => {
      const dossier = await this.transactions.run(ctx, (manager) =>
        manager.findOneBy(DossierEntity, { id: dossierId }),
      );
      return dossier !== null && this.viewOf(await this.viewer(ctx), dossier) !== null;
    });
    this.identity.registerPersonalData('dossiers', (ctx, citizenId) => this.exportFor(ctx, citizenId));
  }

  /** A citizen's dossiers as they see them (public history, document names), for their data export. */
  private async exportFor(ctx: RequestContext, citizenId: string): Promise<unknown[]> {
    const dossiers = await this.transactions.run(ctx, (manager) =>
      manager.find(DossierEntity, { where: { citizenId }, order: { submittedAt: 'ASC' } }),
    );
    const exported: unknown[] = [];
    for (const dossier of dossiers) {
      const history = await this.history(ctx, dossier, 'citizen');
      const documents = await this.documentsOf(ctx, dossier);
      exported.push({
        reference: dossier.reference,
        subject: dossier.subject,
        description: dossier.description,
        preferredChannel: dossier.preferredChannel,
        phone: dossier.phone,
        preferredDates: dossier.preferredDates,
        contact: { name: dossier.citizenName, email: dossier.citizenEmail, locale: dossier.citizenLocale },
        submittedAt: dossier.submittedAt.toISOString(),
        stage: dossier.stageCode,
        result: dossier.result,
        resultMessage: dossier.resultMessage,
        closedAt: dossier.closedAt?.toISOString() ?? null,
        history: history.map((e) => ({ at: e.at.toISOString(), kind: e.kind, by: e.actorName, ...e.data })),
        documents: documents.map((d) => ({ fileName: d.fileName, contentType: d.contentType, sizeBytes: d.sizeBytes })),
      });
    }
    return exported;
  }

  /** Submits an interview request for the logged-in citizen and gives it the commune's next reference. */
  async submit(ctx: RequestContext, submission: DossierSubmission): Promise<DossierEntity> {
    const viewer = await this.viewer(ctx);
    return this.transactions.run(ctx, async (manager) => {
      const type = await this.types.findEnabled(ctx, submission.typeCode);
      const today = luxembourgDate();
      this.checkSubmission(submission, type, today);
      const first = firstStage(type);
      const year = Number(today.slice(0, 4));
      const reference = formatReference(ctx.requireCommune().slug, year, await this.nextNumber(manager, year));
      const locale = viewer.citizen.locale ?? ctx.locale ?? this.defaultLocale(ctx);
      const inserted = await manager.insert(DossierEntity, {
        reference,
        dossierTypeId: type.id,
        citizenId: viewer.citizen.id,
        citizenName: viewer.citizen.name,
        citizenEmail: viewer.citizen.email,
        citizenLocale: locale,
        departmentId: type.departmentId,
        stageCode: first.code,
        subject: submission.subject.trim(),
        description: submission.description.trim(),
        preferredChannel: submission.preferredChannel,
        phone: submission.phone?.trim() || null,
        preferredDates: [...new Set(submission.preferredDates)].sort(),
        dueOn: addWorkingDays(today, type.normDays),
        awaitingDocuments: false,
      });
      const dossier = await manager.findOneByOrFail(DossierEntity, { id: inserted.identifiers[0].id as string });
      const attached = await this.documents.attach(ctx, submission.documents, {
        kind: DOSSIER_DOCUMENTS,
        id: dossier.id,
      });
      const department = await this.departments.get(ctx, dossier.departmentId);
      await this.record(ctx, manager, viewer, dossier, 'submitted', 'public', {
        stage: { code: first.code, names: first.names },
        department: { code: department.code, names: department.names },
        documents: attached.map((d) => ({ id: d.id, fileName: d.fileName })),
      });
      const fallback = this.defaultLocale(ctx);
      const emails: EmailNotification[] = [
        {
          template: 'dossier-received',
          to: { email: dossier.citizenEmail, name: dossier.citizenName, locale },
          data: {
            reference,
            subject: dossier.subject,
            typeName: textIn(type.names, locale, fallback),
            departmentName: textIn(department.names, locale, fallback),
            dueOn: dossier.dueOn,
            path: `/dossiers/${dossier.id}`,
          },
        },
      ];
      const forDepartment = this.departmentEmail(ctx, dossier, type, department);
      if (forDepartment) emails.push(forDepartment);
      await this.outbox.enqueue(ctx, ...emails);
      return dossier;
    });
  }

  /** The logged-in citizen's dossiers, newest first. */
  async listMine(ctx: RequestContext): Promise<DossierEntity[]> {
    const viewer = await this.viewer(ctx);
    return this.transactions.run(ctx, (manager) =>
      manager.find(DossierEntity, { where: { citizenId: viewer.citizen.id }, order: { submittedAt: 'DESC' } }),
    );
  }

  /** One dossier the caller may see, with how they see it; NOT_FOUND for any other, whoever's it is. */
  async get(ctx: RequestContext, id: string): Promise<{ dossier: DossierEntity; view: DossierView }> {
    const viewer = await this.viewer(ctx);
    const dossier = UUID.test(id)
      ? await this.transactions.run(ctx, (manager) => manager.findOneBy(DossierEntity, { id }))
      : null;
    const view = dossier && this.viewOf(viewer, dossier);
    if (!dossier || !view) throw new NotFoundError('No such dossier');
    return { dossier, view };
  }

  /**
   * The inbox of the caller's departments (every department for administrators): open dossiers by
   * default, overdue ones first, then by due date.
   */
  async inbox(ctx: RequestContext, filter: InboxFilter): Promise<DossierEntity[]> {
    const viewer = await this.requireStaff(ctx);
    if (!viewer.admin && !viewer.departmentIds.size) return [];
    return this.transactions.run(ctx, (manager) => {
      const query = manager.createQueryBuilder(DossierEntity, 'd');
      if (!viewer.admin)
        query.andWhere('d.department_id IN (:...departments)', { departments: [...viewer.departmentIds] });
      if (!filter.includeClosed) query.andWhere('d.closed_at IS NULL');
      if (filter.stageCode) query.andWhere('d.stage_code = :stage', { stage: filter.stageCode });
      if (filter.assignedToMe) query.andWhere('d.assignee_id = :me', { me: viewer.staff?.id });
      return query
        .orderBy('(d.closed_at IS NULL AND d.due_on < :today)', 'DESC')
        .addOrderBy('d.due_on', 'ASC')
        .addOrderBy('d.submitted_at', 'ASC')
        .setParameter('today', luxembourgDate())
        .limit(Math.min(filter.limit ?? 50, 200))
        .offset(filter.offset ?? 0)
        .getMany();
    });
  }

  /** The dossier's history as the caller may see it: everything for staff, public events for the citizen. */
  async history(ctx: RequestContext, dossier: DossierEntity, view: DossierView): Promise<DossierEventEntity[]> {
    return this.transactions.run(ctx, (manager) =>
      manager.find(DossierEventEntity, {
        where: { dossierId: dossier.id, ...(view === 'citizen' ? { visibility: 'public' as const } : {}) },
        order: { id: 'ASC' },
      }),
    );
  }

  /**
   * One event of a dossier the caller may see, with the dossier as they see it now; null if the event is
   * not for their eyes, NOT_FOUND if the dossier is not (any more).
   */
  async event(
    ctx: RequestContext,
    dossierId: string,
    eventId: string,
  ): Promise<{ dossier: DossierEntity; view: DossierView; event: DossierEventEntity } | null> {
    const { dossier, view } = await this.get(ctx, dossierId);
    if (!/^\d{1,18}$/.test(eventId)) return null;
    const event = await this.transactions.run(ctx, (manager) =>
      manager.findOneBy(DossierEventEntity, { id: eventId, dossierId }),
    );
    if (!event || (view === 'citizen' && event.visibility !== 'public')) return null;
    return { dossier, view, event };
  }

  async documentsOf(ctx: RequestContext, dossier: DossierEntity): Promise<DocumentEntity[]> {
    return this.documents.listFor(ctx, { kind: DOSSIER_DOCUMENTS, id: dossier.id });
  }

  /**
   * The types (as they are now) and departments of the commune, read once for any number of dossiers:
   * two queries for a whole inbox instead of two per dossier.
   */
  async references(ctx: RequestContext): Promise<DossierReferences> {
    const [types, departments] = await Promise.all([
      this.types.list(ctx, { includeDisabled: true }),
      this.departments.list(ctx),
    ]);
    const typesById = new Map(types.map((t) => [t.id, t]));
    const departmentsById = new Map(departments.map((d) => [d.id, d]));
    return {
      typeOf: (dossier) => found(typesById.get(dossier.dossierTypeId), `Dossier type ${dossier.dossierTypeId}`),
      departmentOf: (dossier) => found(departmentsById.get(dossier.departmentId), `Department ${dossier.departmentId}`),
    };
  }

  /** Who took the dossier on, by the name they had when they did. */
  async assignee(ctx: RequestContext, dossier: DossierEntity): Promise<{ id: string; name: string } | null> {
    const assigneeId = dossier.assigneeId;
    if (!assigneeId) return null;
    const taken = await this.transactions.run(ctx, (manager) =>
      manager.findOne(DossierEventEntity, {
        where: { dossierId: dossier.id, kind: 'assigned', actorId: assigneeId },
        order: { id: 'DESC' },
      }),
    );
    return { id: assigneeId, name: taken?.actorName ?? '' };
  }

  /** The caller takes the dossier on. */
  async assignToMe(ctx: RequestContext, id: string): Promise<DossierEntity> {
    return this.change(ctx, id, async (manager, viewer, dossier) => {
      if (dossier.assigneeId === viewer.staff?.id) return dossier;
      await manager.update(DossierEntity, { id }, { assigneeId: viewer.staff?.id, updatedAt: new Date() });
      await this.record(ctx, manager, viewer, dossier, 'assigned', 'internal', { assignee: viewer.citizen.name });
      return null;
    });
  }

  /** Moves the dossier to another (not final) stage, and tells the citizen when that stage says so. */
  async move(ctx: RequestContext, id: string, stageCode: string, note?: string): Promise<DossierEntity> {
    return this.change(ctx, id, async (manager, viewer, dossier, type) => {
      const to = type.stages.find((s) => s.code === stageCode);
      const problems: InputProblem[] = [];
      if (!to) problems.push({ path: 'stageCode', message: `"${stageCode}" is not a stage of this dossier's type` });
      else if (to.final)
        problems.push({ path: 'stageCode', message: 'the final stage is reached by closing the dossier' });
      else if (to.code === dossier.stageCode)
        problems.push({ path: 'stageCode', message: 'the dossier is at this stage already' });
      this.checkText(problems, 'note', note, false);
      if (problems.length || !to) throw new InvalidInputError('Invalid stage change', problems);
      const from = this.stage(type, dossier.stageCode);
      await manager.update(DossierEntity, { id }, { stageCode: to.code, updatedAt: new Date() });
      await this.record(ctx, manager, viewer, dossier, 'stage-changed', 'public', {
        from: { code: from.code, names: from.names },
        to: { code: to.code, names: to.names },
        ...(note?.trim() ? { text: note.trim() } : {}),
      });
      if (to.notifiesCitizen) {
        const locale = dossier.citizenLocale;
        await this.outbox.enqueue(
          ctx,
          this.citizenEmail(dossier, 'dossier-stage-changed', {
            stageName: textIn(to.names, locale, this.defaultLocale(ctx)),
            ...(note?.trim() ? { note: note.trim() } : {}),
          }),
        );
      }
      return null;
    });
  }

  /** A note on the dossier: public ones reach the citizen (and their inbox), internal ones never do. */
  async addNote(
    ctx: RequestContext,
    id: string,
    note: string,
    visibility: DossierEventVisibility,
  ): Promise<DossierEntity> {
    return this.change(ctx, id, async (manager, viewer, dossier) => {
      const problems: InputProblem[] = [];
      this.checkText(problems, 'text', note, true);
      if (problems.length) throw new InvalidInputError('Invalid note', problems);
      await this.record(ctx, manager, viewer, dossier, 'note', visibility, { text: note.trim() });
      if (visibility === 'public') {
        await this.outbox.enqueue(
          ctx,
          this.citizenEmail(dossier, 'dossier-message', { reason: 'note', message: note.trim() }),
        );
      }
      await manager.update(DossierEntity, { id }, { updatedAt: new Date() });
      return null;
    });
  }

  /** Asks the citizen for more documents; the dossier waits for their reply. */
  async requestDocuments(
    ctx: RequestContext,
    id: string,
    message: string,
    documentCodes: string[],
  ): Promise<DossierEntity> {
    return this.change(ctx, id, async (manager, viewer, dossier, type) => {
      const problems: InputProblem[] = [];
      this.checkText(problems, 'message', message, true);
      const requested: RequestedDocument[] = [];
      new Set(documentCodes).forEach((code) => {
        const document = type.documents.find((d) => d.code === code);
        if (document) requested.push(document);
        else problems.push({ path: 'documentCodes', message: `"${code}" is not a document this type asks for` });
      });
      if (problems.length) throw new InvalidInputError('Invalid request for documents', problems);
      await manager.update(DossierEntity, { id }, { awaitingDocuments: true, updatedAt: new Date() });
      await this.record(ctx, manager, viewer, dossier, 'documents-requested', 'public', {
        text: message.trim(),
        requested: requested.map((d) => ({ code: d.code, names: d.names })),
      });
      const locale = dossier.citizenLocale;
      await this.outbox.enqueue(
        ctx,
        this.citizenEmail(dossier, 'dossier-message', {
          reason: 'documents-requested',
          message: message.trim(),
          documents: requested.map((d) => textIn(d.names, locale, this.defaultLocale(ctx))),
        }),
      );
      return null;
    });
  }

  /** Hands the dossier to another department, which is told by e-mail; nobody is assigned any more. */
  async forward(ctx: RequestContext, id: string, departmentCode: string, note?: string): Promise<DossierEntity> {
    return this.change(ctx, id, async (manager, viewer, dossier, type) => {
      // Locked against deletion until the dossier refers to it.
      const to = await this.departments.findForReference(ctx, departmentCode);
      const problems: InputProblem[] = [];
      if (!to)
        problems.push({ path: 'departmentCode', message: `"${departmentCode}" is not a department of this commune` });
      else if (to.id === dossier.departmentId)
        problems.push({ path: 'departmentCode', message: 'the dossier is there already' });
      this.checkText(problems, 'note', note, false);
      if (problems.length || !to) throw new InvalidInputError('Invalid forwarding', problems);
      const from = await this.departments.get(ctx, dossier.departmentId);
      await manager.update(DossierEntity, { id }, { departmentId: to.id, assigneeId: null, updatedAt: new Date() });
      await this.record(ctx, manager, viewer, dossier, 'forwarded', 'public', {
        from: { code: from.code, names: from.names },
        to: { code: to.code, names: to.names },
      });
      if (note?.trim()) await this.record(ctx, manager, viewer, dossier, 'note', 'internal', { text: note.trim() });
      const email = this.departmentEmail(ctx, dossier, type, to, from);
      if (email) await this.outbox.enqueue(ctx, email);
      return null;
    });
  }

  /** Proposes a meeting to the citizen: when, and how (at the desk, by phone, by video). */
  async proposeAppointment(
    ctx: RequestContext,
    id: string,
    startsAt: Date,
    channel: PreferredChannel,
    note?: string,
  ): Promise<DossierEntity> {
    return this.change(ctx, id, async (manager, viewer, dossier) => {
      const problems: InputProblem[] = [];
      if (Number.isNaN(startsAt.getTime()) || startsAt.getTime() <= Date.now()) {
        problems.push({ path: 'startsAt', message: 'must be in the future' });
      }
      this.checkText(problems, 'note', note, false);
      if (problems.length) throw new InvalidInputError('Invalid appointment', problems);
      await manager.update(
        DossierEntity,
        { id },
        { proposedSlot: startsAt, proposedChannel: channel, updatedAt: new Date() },
      );
      await this.record(ctx, manager, viewer, dossier, 'appointment-proposed', 'public', {
        startsAt: startsAt.toISOString(),
        channel,
        ...(note?.trim() ? { text: note.trim() } : {}),
      });
      await this.outbox.enqueue(
        ctx,
        this.citizenEmail(dossier, 'dossier-message', {
          reason: 'appointment-proposed',
          appointment: { startsAt: startsAt.toISOString(), channel },
          ...(note?.trim() ? { message: note.trim() } : {}),
        }),
      );
      return null;
    });
  }

  /** Closes the dossier at its final stage with a result and a message to the citizen. */
  async close(ctx: RequestContext, id: string, result: DossierResult, message: string): Promise<DossierEntity> {
    return this.change(ctx, id, async (manager, viewer, dossier, type) => {
      const problems: InputProblem[] = [];
      this.checkText(problems, 'message', message, true);
      if (problems.length) throw new InvalidInputError('Invalid closing', problems);
      const from = this.stage(type, dossier.stageCode);
      const final = finalStage(type);
      const now = new Date();
      await manager.update(
        DossierEntity,
        { id },
        {
          stageCode: final.code,
          closedAt: now,
          result,
          resultMessage: message.trim(),
          awaitingDocuments: false,
          updatedAt: now,
        },
      );
      await this.record(ctx, manager, viewer, dossier, 'closed', 'public', {
        from: { code: from.code, names: from.names },
        to: { code: final.code, names: final.names },
        result,
        text: message.trim(),
      });
      await this.outbox.enqueue(
        ctx,
        this.citizenEmail(dossier, 'dossier-message', { reason: 'closed', result, message: message.trim() }),
      );
      return null;
    });
  }

  /**
   * The citizen's reply: a message, documents (answering a request for documents), or both. Staff see
   * it in the history and live; the dossier no longer waits for documents once some arrive.
   */
  async reply(
    ctx: RequestContext,
    id: string,
    message: string | undefined,
    documents: AttachedDocument[],
  ): Promise<DossierEntity> {
    const viewer = await this.viewer(ctx);
    return this.transactions.run(ctx, async (manager) => {
      const dossier = await this.lock(manager, id);
      if (!dossier || dossier.citizenId !== viewer.citizen.id) throw new NotFoundError('No such dossier');
      if (dossier.closedAt) throw new ConflictError(`Dossier ${dossier.reference} is closed`);
      const type = await this.types.get(ctx, dossier.dossierTypeId);
      const problems: InputProblem[] = [];
      this.checkText(problems, 'message', message, false);
      if (!message?.trim() && !documents.length) {
        problems.push({ path: 'message', message: 'write a message or add a document' });
      }
      this.checkLabels(problems, documents, type);
      if (problems.length) throw new InvalidInputError('Invalid reply', problems);
      const attached = await this.documents.attach(ctx, documents, { kind: DOSSIER_DOCUMENTS, id: dossier.id });
      await manager.update(
        DossierEntity,
        { id },
        { awaitingDocuments: dossier.awaitingDocuments && !attached.length, updatedAt: new Date() },
      );
      await this.record(ctx, manager, viewer, dossier, attached.length ? 'documents-added' : 'message', 'public', {
        ...(message?.trim() ? { text: message.trim() } : {}),
        documents: attached.map((d) => ({ id: d.id, fileName: d.fileName })),
      });
      return manager.findOneByOrFail(DossierEntity, { id });
    });
  }

  /**
   * A staff change: locks the dossier, checks the caller handles it and that it is open, runs the
   * change (which returns the dossier when it changed nothing), and reads the dossier back.
   */
  private async change(
    ctx: RequestContext,
    id: string,
    work: (
      manager: EntityManager,
      viewer: Viewer,
      dossier: DossierEntity,
      type: DossierTypeEntity,
    ) => Promise<DossierEntity | null>,
  ): Promise<DossierEntity> {
    const viewer = await this.requireStaff(ctx);
    return this.transactions.run(ctx, async (manager) => {
      const dossier = await this.lock(manager, id);
      if (!dossier || this.viewOf(viewer, dossier) !== 'staff') throw new NotFoundError('No such dossier');
      if (dossier.closedAt) throw new ConflictError(`Dossier ${dossier.reference} is closed`);
      const type = await this.types.get(ctx, dossier.dossierTypeId);
      const unchanged = await work(manager, viewer, dossier, type);
      return unchanged ?? manager.findOneByOrFail(DossierEntity, { id });
    });
  }

  private async lock(manager: EntityManager, id: string): Promise<DossierEntity | null> {
    if (!UUID.test(id)) return null;
    return manager.findOne(DossierEntity, { where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  /** Writes one event of the history and audit trail, and announces it live once committed. */
  private async record(
    ctx: RequestContext,
    manager: EntityManager,
    viewer: Viewer,
    dossier: DossierEntity,
    kind: DossierEventKind,
    visibility: DossierEventVisibility,
    data: DossierEventData,
  ): Promise<void> {
    const asStaff = viewer.staff !== null && dossier.citizenId !== viewer.citizen.id;
    const inserted = await manager.insert(DossierEventEntity, {
      dossierId: dossier.id,
      kind,
      visibility,
      actorKind: asStaff ? 'staff' : 'citizen',
      actorId: asStaff ? viewer.staff?.id : viewer.citizen.id,
      actorName: viewer.citizen.name,
      clientAddress: ctx.origin.address ?? null,
      userAgent: ctx.origin.userAgent?.slice(0, 500) ?? null,
      data,
    });
    const eventId = String(inserted.identifiers[0].id);
    await this.live.publish(ctx, dossierTopic(dossier.id), { dossierId: dossier.id, eventId });
  }

  /** The next number of the year, under the counter row's lock: a rolled-back submission leaves no gap. */
  private async nextNumber(manager: EntityManager, year: number): Promise<number> {
    const rows = (await manager.query(
      `INSERT INTO dossier_reference_counter (year, last_number) VALUES ($1, 1)
       ON CONFLICT (year) DO UPDATE SET last_number = dossier_reference_counter.last_number + 1
       RETURNING last_number`,
      [year],
    )) as { last_number: number }[];
    return rows[0].last_number;
  }

  private checkSubmission(submission: DossierSubmission, type: DossierTypeEntity, today: string): void {
    const problems: InputProblem[] = [];
    if (!submission.subject.trim()) problems.push({ path: 'subject', message: 'must not be empty' });
    if (submission.subject.length > 200) problems.push({ path: 'subject', message: 'must be at most 200 characters' });
    this.checkText(problems, 'description', submission.description, true);
    if (submission.preferredChannel === 'phone' && !submission.phone?.trim()) {
      problems.push({ path: 'phone', message: 'is needed to call you back' });
    }
    if (submission.preferredDates.length > MAX_PREFERRED_DATES) {
      problems.push({ path: 'preferredDates', message: `at most ${MAX_PREFERRED_DATES} dates` });
    }
    submission.preferredDates.forEach((date, i) => {
      if (!isRealDate(date)) {
        problems.push({ path: `preferredDates.${i}`, message: `${date} is not a date` });
      } else if (date < today) problems.push({ path: `preferredDates.${i}`, message: 'must be today or later' });
    });
    this.checkLabels(problems, submission.documents, type);
    const labels = new Set(submission.documents.map((d) => d.label));
    for (const required of type.documents.filter((d) => d.required)) {
      if (!labels.has(required.code)) {
        problems.push({ path: 'documents', message: `"${required.code}" is required for this service` });
      }
    }
    if (problems.length) throw new InvalidInputError('Invalid request', problems);
  }

  private checkLabels(problems: InputProblem[], documents: AttachedDocument[], type: DossierTypeEntity): void {
    documents.forEach((document, i) => {
      if (document.label && !type.documents.some((d) => d.code === document.label)) {
        problems.push({
          path: `documents.${i}.label`,
          message: `"${document.label}" is not a document this service asks for`,
        });
      }
    });
  }

  private checkText(problems: InputProblem[], path: string, value: string | undefined, required: boolean): void {
    if (required && !value?.trim()) problems.push({ path, message: 'must not be empty' });
    if (value && value.length > MAX_TEXT) problems.push({ path, message: `must be at most ${MAX_TEXT} characters` });
  }

  private stage(type: DossierTypeEntity, code: string): DossierStage {
    return type.stages.find((s) => s.code === code) ?? { code, names: {}, notifiesCitizen: false, final: false };
  }

  private citizenEmail(
    dossier: DossierEntity,
    template: 'dossier-stage-changed' | 'dossier-message',
    data: Record<string, unknown>,
  ): EmailNotification {
    return {
      template,
      to: { email: dossier.citizenEmail, name: dossier.citizenName, locale: dossier.citizenLocale },
      data: { reference: dossier.reference, subject: dossier.subject, path: `/dossiers/${dossier.id}`, ...data },
    };
  }

  /** The department's e-mail about a new (or forwarded) dossier, in the commune's default language. */
  private departmentEmail(
    ctx: RequestContext,
    dossier: Pick<DossierEntity, 'id' | 'reference' | 'subject' | 'citizenName' | 'preferredChannel' | 'dueOn'>,
    type: DossierTypeEntity,
    department: DepartmentEntity,
    forwardedFrom?: DepartmentEntity,
  ): EmailNotification | null {
    if (!department.email) return null;
    const locale = this.defaultLocale(ctx);
    return {
      template: 'dossier-new',
      to: { email: department.email, locale },
      data: {
        reference: dossier.reference,
        subject: dossier.subject,
        typeName: textIn(type.names, locale, locale),
        citizenName: dossier.citizenName,
        preferredChannel: dossier.preferredChannel,
        dueOn: dossier.dueOn,
        ...(forwardedFrom ? { forwardedFrom: textIn(forwardedFrom.names, locale, locale) } : {}),
        path: `/admin/dossiers/${dossier.id}`,
      },
    };
  }

  private defaultLocale(ctx: RequestContext): Locale {
    return this.directory.get(ctx.requireCommune().id).defaultLocale;
  }

  private viewOf(viewer: Viewer, dossier: DossierEntity): DossierView | null {
    if (viewer.admin || viewer.departmentIds.has(dossier.departmentId)) return 'staff';
    return dossier.citizenId === viewer.citizen.id ? 'citizen' : null;
  }

  private async viewer(ctx: RequestContext): Promise<Viewer> {
    const { citizen, staff } = await this.identity.me(ctx);
    const departmentIds = new Set<string>();
    // Administrators see every department's dossiers: their own departments need no lookup.
    if (staff && staff.role !== 'admin') {
      const codes = new Set(staff.departmentCodes);
      for (const d of await this.departments.list(ctx)) if (codes.has(d.code)) departmentIds.add(d.id);
    }
    return { citizen, staff, admin: staff?.role === 'admin', departmentIds };
  }

  private async requireStaff(ctx: RequestContext): Promise<Viewer> {
    const viewer = await this.viewer(ctx);
    if (!viewer.staff) throw new GemengError('FORBIDDEN', 'Only staff of this commune may do this');
    return viewer;
  }
}

function found<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`${what} is missing`);
  return value;
}
