import { Controller, Get, Inject, Logger, Param, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { BillingService, overviewCsv, renderPdf, renderUbl, type BillingDocument } from '@gemeng/billing';
import { GemengError, type GemengConfig, type RequestContext } from '@gemeng/core';
import { attachmentDisposition } from '@gemeng/documents';
import { IdentityService } from '@gemeng/identity';
import { GEMENG_CONFIG } from '@gemeng/platform';
import { httpRequestContext } from '../graphql/request-context.factory';
import { refusalFor, sendRefusal, type JsonRefusal } from './json-refusal';

const DOWNLOAD = /^(.{1,64})\.(pdf|xml)$/;
const YEAR = /^\d{4}$/;

/** Headers of every billing download: private to the caller, never cached, never sniffed into HTML. */
const PRIVATE_FILE = {
  'Cache-Control': 'private, no-store',
  'X-Content-Type-Options': 'nosniff',
  'Content-Security-Policy': "default-src 'none'; sandbox",
};

/**
 * Billing documents over plain HTTP. `GET /invoices/:id.pdf` and `GET /invoices/:id.xml` (the UBL 2.1
 * e-invoice) answer the operator on the operator host, and a commune's administrators on that commune's
 * host for its own documents only: another commune's invoice gets the same 404 as one that does not
 * exist. `GET /billing/overview.csv?year=` is the operator's overview as CSV.
 */
@Controller()
export class InvoicesController {
  private readonly logger = new Logger(InvoicesController.name);

  constructor(
    private readonly billing: BillingService,
    private readonly identity: IdentityService,
    @Inject(GEMENG_CONFIG) private readonly config: GemengConfig,
  ) {}

  @Get('invoices/:file')
  async download(@Req() req: Request, @Res() res: Response, @Param('file') file: string): Promise<void> {
    const ctx = httpRequestContext(req, this.config);
    const match = DOWNLOAD.exec(file);
    if (!match) {
      sendRefusal(res, { status: 404, code: 'NOT_FOUND', message: 'Ask for /invoices/<id>.pdf or /invoices/<id>.xml' });
      return;
    }
    const [, id, format] = match;
    let document: BillingDocument;
    let body: Buffer;
    try {
      document = await this.documentFor(ctx, id);
      body =
        format === 'pdf'
          ? await renderPdf(document, ctx.locale ? { locale: ctx.locale } : {})
          : Buffer.from(renderUbl(document), 'utf8');
    } catch (error) {
      sendRefusal(res, this.describe(error));
      return;
    }
    res.status(200).set({
      ...PRIVATE_FILE,
      'Content-Type': format === 'pdf' ? 'application/pdf' : 'application/xml; charset=utf-8',
      'Content-Length': String(body.length),
      'Content-Disposition': attachmentDisposition(`${document.number}.${format}`),
    });
    res.end(body);
  }

  @Get('billing/overview.csv')
  async overview(@Req() req: Request, @Res() res: Response, @Query('year') year: unknown): Promise<void> {
    const ctx = httpRequestContext(req, this.config);
    try {
      this.requireOperator(ctx);
      if (typeof year !== 'string' || !YEAR.test(year)) {
        throw new GemengError('BAD_USER_INPUT', 'Give the year as ?year=YYYY, e.g. /billing/overview.csv?year=2026');
      }
      const body = Buffer.from(overviewCsv(await this.billing.overview(ctx, Number(year))), 'utf8');
      res.status(200).set({
        ...PRIVATE_FILE,
        'Content-Type': 'text/csv; charset=utf-8; header=present',
        'Content-Length': String(body.length),
        'Content-Disposition': attachmentDisposition(`billing-overview-${year}.csv`),
      });
      res.end(body);
    } catch (error) {
      sendRefusal(res, this.describe(error));
    }
  }

  /** The document if this caller may see it; the same NotFoundError for a missing one and another's. */
  private async documentFor(ctx: RequestContext, id: string): Promise<BillingDocument> {
    if (!ctx.commune) return this.billing.document(this.requireOperator(ctx), id);
    if (!ctx.user) throw new GemengError('UNAUTHENTICATED', 'Log in on this commune first');
    if (!(await this.identity.rolesOf(ctx)).includes('admin')) {
      throw new GemengError('FORBIDDEN', "Only the commune's administrators see its invoices");
    }
    return this.billing.documentForCommune(ctx, id);
  }

  private requireOperator(ctx: RequestContext): RequestContext {
    if (ctx.commune) throw new GemengError('NOT_FOUND', 'The billing overview is on the operator host');
    if (ctx.operator) return ctx;
    // Logged in on the operator host with an account that is not the operator's: a matter of rights.
    if (ctx.user) throw new GemengError('FORBIDDEN', 'Only the operator sees billing on this host');
    throw new GemengError('UNAUTHENTICATED', 'Log in as the operator or send the operator token');
  }

  private describe(error: unknown): JsonRefusal {
    return refusalFor(error, this.logger, 'The billing document could not be produced');
  }
}
