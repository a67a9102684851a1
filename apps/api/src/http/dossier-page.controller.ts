import { Controller, Get, Inject, Param, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { communeName } from '@gemeng/communes';
import { type GemengConfig, GemengError, type Locale, type RequestContext, textIn } from '@gemeng/core';
import { DossierService, isOverdue, stageProgress } from '@gemeng/dossiers';
import { GEMENG_CONFIG } from '@gemeng/platform';
import { httpRequestContext } from '../graphql/request-context.factory';
import { escapeHtml, messagePage } from './html';

type Label =
  | 'stage'
  | 'department'
  | 'dueOn'
  | 'overdue'
  | 'history'
  | 'documents'
  | 'appointment'
  | 'result'
  | 'awaiting'
  | 'internal'
  | 'notFound'
  | 'accepted'
  | 'declined'
  | 'redirected'
  | 'in_person'
  | 'phone'
  | 'video';

const LABELS: Record<Locale, Record<Label, string>> = {
  en: {
    stage: 'Stage',
    department: 'Handled by',
    dueOn: 'Expected answer by',
    overdue: 'overdue',
    history: 'History',
    documents: 'Documents',
    appointment: 'Proposed appointment',
    result: 'Result',
    awaiting: 'The commune is waiting for documents from you.',
    internal: 'internal',
    notFound: 'No such dossier',
    accepted: 'Accepted',
    declined: 'Declined',
    redirected: 'Redirected',
    in_person: 'in person',
    phone: 'by phone',
    video: 'by video',
  },
  fr: {
    stage: 'Étape',
    department: 'Traité par',
    dueOn: 'Réponse attendue le',
    overdue: 'en retard',
    history: 'Historique',
    documents: 'Documents',
    appointment: 'Rendez-vous proposé',
    result: 'Résultat',
    awaiting: 'La commune attend des documents de votre part.',
    internal: 'interne',
    notFound: 'Dossier introuvable',
    accepted: 'Accepté',
    declined: 'Refusé',
    redirected: 'Réorienté',
    in_person: 'sur place',
    phone: 'par téléphone',
    video: 'par vidéo',
  },
  de: {
    stage: 'Schritt',
    department: 'Bearbeitet von',
    dueOn: 'Antwort erwartet bis',
    overdue: 'überfällig',
    history: 'Verlauf',
    documents: 'Dokumente',
    appointment: 'Vorgeschlagener Termin',
    result: 'Ergebnis',
    awaiting: 'Die Gemeinde wartet auf Dokumente von Ihnen.',
    internal: 'intern',
    notFound: 'Akte nicht gefunden',
    accepted: 'Angenommen',
    declined: 'Abgelehnt',
    redirected: 'Weitergeleitet',
    in_person: 'vor Ort',
    phone: 'telefonisch',
    video: 'per Video',
  },
  lb: {
    stage: 'Etapp',
    department: 'Bearbecht vum',
    dueOn: 'Äntwert erwaart bis',
    overdue: 'iwwerfälleg',
    history: 'Verlaf',
    documents: 'Dokumenter',
    appointment: 'Proposéierte Rendez-vous',
    result: 'Resultat',
    awaiting: "D'Gemeng waart op Dokumenter vun Iech.",
    internal: 'intern',
    notFound: 'Dossier net fonnt',
    accepted: 'Ugeholl',
    declined: 'Ofgeleent',
    redirected: 'Weidergeleet',
    in_person: 'op der Plaz',
    phone: 'per Telefon',
    video: 'per Video',
  },
};

/**
 * The page that the dossier e-mails link to: `/dossiers/:id` for the citizen, `/admin/dossiers/:id`
 * for staff (internal notes and the audit trail included). Someone not logged in is sent to the login
 * and back; anyone who may not see the dossier gets the same 404 as for a dossier that does not exist.
 */
@Controller()
export class DossierPageController {
  constructor(
    private readonly dossiers: DossierService,
    @Inject(GEMENG_CONFIG) private readonly config: GemengConfig,
  ) {}

  @Get('dossiers/:id')
  citizenPage(@Req() req: Request, @Res() res: Response, @Param('id') id: string): Promise<void> {
    return this.render(req, res, id, `/dossiers/${id}`);
  }

  @Get('admin/dossiers/:id')
  staffPage(@Req() req: Request, @Res() res: Response, @Param('id') id: string): Promise<void> {
    return this.render(req, res, id, `/admin/dossiers/${id}`);
  }

  private async render(req: Request, res: Response, id: string, path: string): Promise<void> {
    const host = req.gemengHost;
    if (host?.kind !== 'commune') {
      res
        .status(404)
        .type('html')
        .send(messagePage('Not found', ['Dossiers live on commune portals.']));
      return;
    }
    const ctx = httpRequestContext(req, this.config);
    const locale = ctx.locale ?? host.commune.defaultLocale;
    const labels = LABELS[locale];
    if (!ctx.user) {
      res.redirect(303, `/auth/login?returnTo=${encodeURIComponent(path)}`);
      return;
    }
    try {
      res
        .status(200)
        .type('html')
        .setHeader('cache-control', 'private, no-store')
        .send(await this.page(ctx, id, locale, host.commune));
    } catch (error) {
      if (!(error instanceof GemengError) || error.code !== 'NOT_FOUND') throw error;
      res
        .status(404)
        .type('html')
        .send(messagePage(labels.notFound, [], locale));
    }
  }

  private async page(
    ctx: RequestContext,
    id: string,
    locale: Locale,
    host: { names: Partial<Record<Locale, string>>; defaultLocale: Locale },
  ): Promise<string> {
    const labels = LABELS[locale];
    const commune = communeName(host, locale);
    const { dossier, view } = await this.dossiers.get(ctx, id);
    const [references, history, documents] = await Promise.all([
      this.dossiers.references(ctx),
      this.dossiers.history(ctx, dossier, view),
      this.dossiers.documentsOf(ctx, dossier),
    ]);
    const type = references.typeOf(dossier);
    const department = references.departmentOf(dossier);
    const name = (names: Partial<Record<Locale, string>> | undefined): string =>
      escapeHtml(names ? textIn(names, locale, host.defaultLocale) : '');
    const stages = stageProgress(type, dossier)
      .map(
        ({ stage, reached, current }) =>
          `<li${current ? ' aria-current="step"' : ''}>${reached ? '✓ ' : ''}${name(stage.names)}</li>`,
      )
      .join('');
    const overdue = isOverdue(dossier);
    const events = history
      .map((e) => {
        const parts = [
          e.data.to ? `${name(e.data.from?.names)} → ${name(e.data.to.names)}` : '',
          e.data.text ? escapeHtml(e.data.text) : '',
          ...(e.data.documents ?? []).map((d) => escapeHtml(d.fileName)),
        ].filter(Boolean);
        const audit: (string | null)[] =
          view === 'staff' ? [e.clientAddress, e.visibility === 'internal' ? labels.internal : null] : [];
        return `<li><time datetime="${e.at.toISOString()}">${escapeHtml(e.at.toLocaleString(locale, { timeZone: 'Europe/Luxembourg' }))}</time> — ${escapeHtml(e.actorName)}: ${parts.join(' — ')}${
          audit.filter(Boolean).length
            ? ` <small>(${audit
                .filter(Boolean)
                .map((a) => escapeHtml(a as string))
                .join(', ')})</small>`
            : ''
        }</li>`;
      })
      .join('');
    const files = documents
      .map((d) => `<li><a href="/documents/${d.id}" download>${escapeHtml(d.fileName)}</a></li>`)
      .join('');
    const appointment = dossier.proposedSlot
      ? `<p><strong>${labels.appointment}:</strong> ${escapeHtml(dossier.proposedSlot.toLocaleString(locale, { timeZone: 'Europe/Luxembourg' }))} (${labels[dossier.proposedChannel ?? 'in_person']})</p>`
      : '';
    const result = dossier.result
      ? `<p><strong>${labels.result}:</strong> ${labels[dossier.result]} — ${escapeHtml(dossier.resultMessage ?? '')}</p>`
      : '';
    return `<!doctype html><html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(dossier.reference)} — ${escapeHtml(commune)}</title><link rel="stylesheet" href="/theme.css">
<style>body{font-family:system-ui,sans-serif;margin:0;color:var(--gemeng-text);background:var(--gemeng-background)}header{background:var(--gemeng-primary);color:var(--gemeng-on-primary);padding:1rem 2rem}main{padding:1rem 2rem}a{color:var(--gemeng-accent)}[aria-current]{font-weight:bold}</style>
</head><body><header><p>${escapeHtml(commune)}</p><h1>${escapeHtml(dossier.reference)}: ${escapeHtml(dossier.subject)}</h1></header>
<main><p>${name(type.names)}</p>
<p><strong>${labels.department}:</strong> ${name(department.names)}</p>
<p><strong>${labels.dueOn}:</strong> <time datetime="${dossier.dueOn}">${escapeHtml(dossier.dueOn)}</time>${overdue ? ` (${labels.overdue})` : ''}</p>
${dossier.awaitingDocuments ? `<p role="status">${labels.awaiting}</p>` : ''}${appointment}${result}
<h2>${labels.stage}</h2><ol>${stages}</ol>
<h2>${labels.history}</h2><ol>${events}</ol>
${files ? `<h2>${labels.documents}</h2><ul>${files}</ul>` : ''}
</main></body></html>`;
  }
}
