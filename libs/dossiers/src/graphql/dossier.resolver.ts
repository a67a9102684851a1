import { Args, ID, Mutation, Parent, Query, ResolveField, Resolver, Subscription } from '@nestjs/graphql';
import { Allow, Ctx, type LocalizedText, type RequestContext, textIn } from '@gemeng/core';
import { CommuneDirectory } from '@gemeng/communes';
import { DocumentType, toDocumentType } from '@gemeng/documents';
import { LiveEvents } from '@gemeng/live';
import type { DossierEventEntity } from '../entities/dossier-event.entity';
import type { DossierEntity } from '../entities/dossier.entity';
import { isOverdue, stageProgress } from '../services/dossier-progress';
import { DossierService, dossierTopic, type DossierReferences, type DossierView } from '../services/dossier.service';
import { DossierInboxFilter, DossierReplyInput, SubmitDossierInput } from './dossier.inputs';
import {
  DossierAppointmentType,
  DossierDepartmentType,
  DossierEventKindValue,
  DossierEventType,
  DossierPersonType,
  DossierResultValue,
  DossierStageProgressType,
  DossierType,
  DossierUpdateType,
  NoteVisibilityValue,
  PreferredChannelValue,
} from './dossier.types';

/** Interview requests over GraphQL: thin calls into DossierService, and the mapping to the schema. */
@Resolver(() => DossierType)
export class DossierResolver {
  constructor(
    private readonly dossiers: DossierService,
    private readonly directory: CommuneDirectory,
    private readonly live: LiveEvents,
  ) {}

  @Query(() => [DossierType], { description: 'Your dossiers on this commune, newest first.' })
  @Allow('citizen')
  async myDossiers(@Ctx() ctx: RequestContext): Promise<DossierType[]> {
    return this.toDossiers(ctx, await this.dossiers.listMine(ctx), 'citizen');
  }

  @Query(() => DossierType, { description: 'One of your dossiers, or one your department handles.' })
  @Allow('citizen')
  async dossier(@Ctx() ctx: RequestContext, @Args('id', { type: () => ID }) id: string): Promise<DossierType> {
    const { dossier, view } = await this.dossiers.get(ctx, id);
    return this.toDossier(ctx, dossier, view);
  }

  @Query(() => [DossierType], {
    description: "Your departments' dossiers (every department for administrators): overdue first, then by due date.",
  })
  @Allow('agent')
  async dossierInbox(
    @Ctx() ctx: RequestContext,
    @Args('filter', { type: () => DossierInboxFilter, nullable: true }) filter?: DossierInboxFilter,
  ): Promise<DossierType[]> {
    return this.toDossiers(ctx, await this.dossiers.inbox(ctx, filter ?? {}), 'staff');
  }

  @Mutation(() => DossierType, { description: 'Requests an interview; the answer carries the reference to quote.' })
  @Allow('citizen')
  async submitDossier(@Ctx() ctx: RequestContext, @Args('input') input: SubmitDossierInput): Promise<DossierType> {
    return this.toDossier(ctx, await this.dossiers.submit(ctx, input), 'citizen');
  }

  @Mutation(() => DossierType, { description: 'Your answer on one of your dossiers: a message, documents, or both.' })
  @Allow('citizen')
  async replyToDossier(
    @Ctx() ctx: RequestContext,
    @Args('id', { type: () => ID }) id: string,
    @Args('input') input: DossierReplyInput,
  ): Promise<DossierType> {
    return this.toDossier(ctx, await this.dossiers.reply(ctx, id, input.message, input.documents), 'citizen');
  }

  @Mutation(() => DossierType, { description: 'Takes the dossier on yourself.' })
  @Allow('agent')
  async assignDossier(@Ctx() ctx: RequestContext, @Args('id', { type: () => ID }) id: string): Promise<DossierType> {
    return this.toDossier(ctx, await this.dossiers.assignToMe(ctx, id), 'staff');
  }

  @Mutation(() => DossierType, {
    description: 'Moves the dossier to another stage (closeDossier reaches the final one).',
  })
  @Allow('agent')
  async moveDossier(
    @Ctx() ctx: RequestContext,
    @Args('id', { type: () => ID }) id: string,
    @Args('stageCode') stageCode: string,
    @Args('note', { nullable: true, description: 'A public note the citizen sees with the change.' }) note?: string,
  ): Promise<DossierType> {
    return this.toDossier(ctx, await this.dossiers.move(ctx, id, stageCode, note), 'staff');
  }

  @Mutation(() => DossierType)
  @Allow('agent')
  async addDossierNote(
    @Ctx() ctx: RequestContext,
    @Args('id', { type: () => ID }) id: string,
    @Args('text') text: string,
    @Args('visibility', { type: () => NoteVisibilityValue }) visibility: NoteVisibilityValue,
  ): Promise<DossierType> {
    return this.toDossier(ctx, await this.dossiers.addNote(ctx, id, text, visibility), 'staff');
  }

  @Mutation(() => DossierType, { description: 'Asks the citizen for more documents; they answer with replyToDossier.' })
  @Allow('agent')
  async requestDossierDocuments(
    @Ctx() ctx: RequestContext,
    @Args('id', { type: () => ID }) id: string,
    @Args('message') message: string,
    @Args('documentCodes', { type: () => [String], defaultValue: [] }) documentCodes: string[],
  ): Promise<DossierType> {
    return this.toDossier(ctx, await this.dossiers.requestDocuments(ctx, id, message, documentCodes), 'staff');
  }

  @Mutation(() => DossierType, { description: 'Hands the dossier to another department.' })
  @Allow('agent')
  async forwardDossier(
    @Ctx() ctx: RequestContext,
    @Args('id', { type: () => ID }) id: string,
    @Args('departmentCode') departmentCode: string,
    @Args('note', { nullable: true, description: 'An internal note for the new department.' }) note?: string,
  ): Promise<DossierType> {
    const dossier = await this.dossiers.forward(ctx, id, departmentCode, note);
    // The caller may no longer handle it; what they get back is what the citizen would see.
    return this.toDossier(ctx, dossier, 'citizen');
  }

  @Mutation(() => DossierType, { description: 'Proposes a meeting to the citizen.' })
  @Allow('agent')
  async proposeDossierAppointment(
    @Ctx() ctx: RequestContext,
    @Args('id', { type: () => ID }) id: string,
    @Args('startsAt') startsAt: Date,
    @Args('channel', { type: () => PreferredChannelValue }) channel: PreferredChannelValue,
    @Args('note', { nullable: true }) note?: string,
  ): Promise<DossierType> {
    return this.toDossier(ctx, await this.dossiers.proposeAppointment(ctx, id, startsAt, channel, note), 'staff');
  }

  @Mutation(() => DossierType, { description: 'Closes the dossier at its final stage, with a result for the citizen.' })
  @Allow('agent')
  async closeDossier(
    @Ctx() ctx: RequestContext,
    @Args('id', { type: () => ID }) id: string,
    @Args('result', { type: () => DossierResultValue }) result: DossierResultValue,
    @Args('message') message: string,
  ): Promise<DossierType> {
    return this.toDossier(ctx, await this.dossiers.close(ctx, id, result, message), 'staff');
  }

  @Subscription(() => DossierUpdateType, {
    description: 'Changes of one dossier as they happen: stage changes, messages, documents.',
    resolve: (update: DossierUpdateType) => update,
  })
  @Allow('citizen')
  async dossierUpdated(
    @Ctx() ctx: RequestContext,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<AsyncIterableIterator<DossierUpdateType>> {
    // Refused now, before anything is pushed, if the caller may not see the dossier.
    await this.dossiers.get(ctx, id);
    return this.updates(ctx, id);
  }

  @ResolveField(() => [DossierEventType], { description: 'What happened, oldest first.' })
  async history(@Ctx() ctx: RequestContext, @Parent() dossier: DossierType): Promise<DossierEventType[]> {
    const events = await this.dossiers.history(ctx, dossier.entity, dossier.view);
    return events.map((e) => this.toEvent(ctx, e, dossier.view));
  }

  @ResolveField(() => [DocumentType], { description: 'Documents of the dossier, oldest first.' })
  async documents(@Ctx() ctx: RequestContext, @Parent() dossier: DossierType): Promise<DocumentType[]> {
    return (await this.dossiers.documentsOf(ctx, dossier.entity)).map(toDocumentType);
  }

  @ResolveField(() => DossierPersonType, { nullable: true, description: 'Who handles it, for staff.' })
  async assignee(@Ctx() ctx: RequestContext, @Parent() dossier: DossierType): Promise<DossierPersonType | null> {
    if (dossier.view !== 'staff') return null;
    const assignee = await this.dossiers.assignee(ctx, dossier.entity);
    return assignee ? { name: assignee.name } : null;
  }

  /**
   * The events of the live topic, each re-read with the subscriber's own rights: an internal note is
   * never pushed to a citizen, and a dossier forwarded away from an agent's department ends their stream.
   */
  private async *updates(ctx: RequestContext, id: string): AsyncIterableIterator<DossierUpdateType> {
    const events = this.live.subscribe(ctx.requireCommune().id, dossierTopic(id));
    try {
      for await (const payload of events) {
        const seen = await this.dossiers.event(ctx, id, String(payload.eventId));
        if (!seen) continue;
        const { dossier, view, event } = seen;
        yield { dossier: await this.toDossier(ctx, dossier, view), event: this.toEvent(ctx, event, view) };
      }
    } finally {
      await events.return?.();
    }
  }

  /** A name in the caller's language, else in the commune's default one, else in any it has. */
  private name(ctx: RequestContext, names: LocalizedText | undefined): string {
    return names ? textIn(names, ctx.locale, this.directory.get(ctx.requireCommune().id).defaultLocale) : '';
  }

  private async toDossier(ctx: RequestContext, dossier: DossierEntity, view: DossierView): Promise<DossierType> {
    return this.mapDossier(ctx, dossier, view, await this.dossiers.references(ctx));
  }

  /** Types and departments are read once for the whole list, not per dossier. */
  private async toDossiers(ctx: RequestContext, dossiers: DossierEntity[], view: DossierView): Promise<DossierType[]> {
    if (!dossiers.length) return [];
    const references = await this.dossiers.references(ctx);
    return dossiers.map((d) => this.mapDossier(ctx, d, view, references));
  }

  private mapDossier(
    ctx: RequestContext,
    dossier: DossierEntity,
    view: DossierView,
    references: DossierReferences,
  ): DossierType {
    const type = references.typeOf(dossier);
    const department = references.departmentOf(dossier);
    const stages: DossierStageProgressType[] = stageProgress(type, dossier).map(({ stage, reached, current }) => ({
      code: stage.code,
      name: this.name(ctx, stage.names),
      final: stage.final,
      reached,
      current,
    }));
    return {
      id: dossier.id,
      reference: dossier.reference,
      typeCode: type.code,
      typeName: this.name(ctx, type.names),
      subject: dossier.subject,
      description: dossier.description,
      preferredChannel: dossier.preferredChannel as PreferredChannelValue,
      phone: dossier.phone ?? undefined,
      preferredDates: dossier.preferredDates,
      stage: stages.find((s) => s.current) ?? {
        code: dossier.stageCode,
        name: dossier.stageCode,
        final: false,
        reached: true,
        current: true,
      },
      stages,
      department: { code: department.code, name: this.name(ctx, department.names) } satisfies DossierDepartmentType,
      citizen: { name: dossier.citizenName, email: dossier.citizenEmail },
      submittedAt: dossier.submittedAt,
      dueOn: dossier.dueOn,
      overdue: isOverdue(dossier),
      awaitingDocuments: dossier.awaitingDocuments,
      proposedAppointment:
        dossier.proposedSlot && dossier.proposedChannel
          ? { startsAt: dossier.proposedSlot, channel: dossier.proposedChannel as PreferredChannelValue }
          : undefined,
      result: (dossier.result ?? undefined) as DossierResultValue | undefined,
      resultMessage: dossier.resultMessage ?? undefined,
      closedAt: dossier.closedAt ?? undefined,
      entity: dossier,
      view,
    };
  }

  private toEvent(ctx: RequestContext, event: DossierEventEntity, view: DossierView): DossierEventType {
    const data = event.data;
    const moves = event.kind === 'forwarded' ? 'Department' : 'Stage';
    const appointment: DossierAppointmentType | undefined =
      data.startsAt && data.channel
        ? { startsAt: new Date(data.startsAt), channel: data.channel as PreferredChannelValue }
        : undefined;
    return {
      id: event.id,
      at: event.at,
      kind: event.kind as DossierEventKindValue,
      visibility: event.visibility as NoteVisibilityValue,
      actorKind: event.actorKind,
      actorName: event.actorName,
      text: data.text,
      [`from${moves}`]: data.from ? this.name(ctx, data.from.names) : undefined,
      [`to${moves}`]: data.to ? this.name(ctx, data.to.names) : undefined,
      requestedDocuments: (data.requested ?? []).map((d) => this.name(ctx, d.names)),
      documentNames: (data.documents ?? []).map((d) => d.fileName),
      appointment,
      result: data.result as DossierResultValue | undefined,
      clientAddress: view === 'staff' ? (event.clientAddress ?? undefined) : undefined,
      userAgent: view === 'staff' ? (event.userAgent ?? undefined) : undefined,
    };
  }
}
