import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  communeName,
  CommuneRegistry,
  parseLuxembourgAddress,
  type CommuneEntity,
  type PopulationRecordEntity,
} from '@gemeng/communes';
import {
  ConflictError,
  GemengError,
  InvalidInputError,
  luxembourgDate,
  NotFoundError,
  type BillingSettings,
  type GemengConfig,
  type InputProblem,
  type RequestContext,
} from '@gemeng/core';
import { GEMENG_CONFIG } from '@gemeng/platform';
import { DataSource, IsNull, type EntityManager } from 'typeorm';
import { invoiceAmounts, membershipInPeriod, type VatTreatment } from '../amounts/amounts';
import { parseBillingPeriod, periodYear, type BillingPeriod } from '../amounts/billing-period';
import { addDays, isIsoDate, laterOf } from '../amounts/calendar';
import { populationAt, priceAt, vatTreatmentProblems, type DatedPrice } from '../amounts/reference-figures';
import type { BillingDocument, BillingParty, VatCategory } from '../documents/billing-document';
import { BillingPriceEntity } from '../entities/billing-price.entity';
import {
  InvoiceEntity,
  type InvoiceKind,
  type InvoiceStatus,
  type PaymentSnapshot,
  type VatColumns,
} from '../entities/invoice.entity';

export type { BillingPeriod } from '../amounts/billing-period';
export type { VatTreatment } from '../amounts/amounts';
export type { InvoiceKind, InvoiceStatus } from '../entities/invoice.entity';

export interface InvoiceSummary {
  id: string;
  kind: InvoiceKind;
  /** Null only for a draft (what a preview returns). */
  number: string | null;
  status: InvoiceStatus;
  communeId: string;
  communeSlug: string;
  period: BillingPeriod;
  issueDate: string | null;
  dueDate: string | null;
  inhabitants: number;
  priceCents: number;
  netCents: number;
  taxCents: number;
  totalCents: number;
  paidOn: string | null;
  paymentReference: string | null;
  /** For a credit note, the invoice it corrects; for a credited invoice, its credit note. */
  relatedInvoiceId: string | null;
}

export interface BillingRunResult {
  period: BillingPeriod;
  preview: boolean;
  /** Issued by this run (or, in a preview, what would be: drafts without id in the database). */
  invoices: InvoiceSummary[];
  /** Communes already invoiced for the period: nothing new for them. */
  alreadyInvoiced: InvoiceSummary[];
  /** Active communes that could not be invoiced, and why (no population figure, ...). */
  skipped: { communeSlug: string; reason: string }[];
}

/** The sum of the totals a run issued (or, in a preview, would issue). */
export function issuedTotalCents(result: BillingRunResult): number {
  return result.invoices.reduce((sum, invoice) => sum + invoice.totalCents, 0);
}

/** What a run did for one commune, reported as it goes (`onCommune`), for long runs to show progress. */
export type BillingRunStep =
  | { communeSlug: string; outcome: 'invoiced'; invoice: InvoiceSummary }
  | { communeSlug: string; outcome: 'already-invoiced'; invoice: InvoiceSummary }
  | { communeSlug: string; outcome: 'skipped'; reason: string };

export interface InvoiceFilter {
  communeSlug?: string;
  /** Its number, e.g. INV-2026-000001. */
  number?: string;
  /** The year of issue, which is also the year in the document's number. */
  year?: number;
  status?: InvoiceStatus;
  kind?: InvoiceKind;
}

export interface PriceSetting {
  /** Null: the platform default. */
  communeSlug: string | null;
  validFrom: string;
  centsPerInhabitantYear: number;
  vat: VatTreatment;
}

export interface OverviewRow {
  communeSlug: string;
  communeName: string;
  period: BillingPeriod;
  inhabitants: number;
  priceCents: number;
  invoicedCents: number;
  paidCents: number;
}

/** Serialises the issuing of one commune's invoice for one period across processes. */
const BILLING_LOCK_CLASS = 0x626c67; // "blg"
/** Prices up to 999,999.99 EUR per inhabitant per year, like a commune definition's. */
const MAX_PRICE_CENTS = 99_999_999;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Everything an invoice will say, settled before its transaction opens. */
interface InvoiceDraft {
  commune: CommuneEntity;
  period: BillingPeriod;
  values: Omit<
    InvoiceEntity,
    | 'id'
    | 'number'
    | 'year'
    | 'sequence'
    | 'status'
    | 'paidOn'
    | 'paymentReference'
    | 'relatedInvoiceId'
    | 'createdAt'
    | 'note'
  >;
}

/** Today in Luxembourg, where the operator and its communes are. */
const grouped = new Intl.NumberFormat('en-GB');

function formatDocumentNumber(kind: InvoiceKind, year: number, sequence: number): string {
  return `${kind === 'invoice' ? 'INV' : 'CN'}-${year}-${String(sequence).padStart(6, '0')}`;
}

function vatOf(columns: VatColumns): VatTreatment {
  return {
    category: columns.vatCategory,
    rate: columns.vatRate,
    ...(columns.vatExemptionReasonCode ? { exemptionReasonCode: columns.vatExemptionReasonCode } : {}),
    ...(columns.vatExemptionReason ? { exemptionReason: columns.vatExemptionReason } : {}),
  };
}

function toDatedPrice(price: BillingPriceEntity): DatedPrice {
  return { validFrom: price.validFrom, centsPerInhabitantYear: price.centsPerInhabitantYear, vat: vatOf(price) };
}

/**
 * Per-capita billing of communes by the operator. Every method takes the request context; all but
 * `listForCommune`, `documentForCommune` need an operator context.
 *
 * Billing lives in the platform schema and is read with the platform's own role: a commune's role has
 * no right on it. Commune administrators see their commune's documents through the two `ForCommune`
 * methods, which filter by the context's commune.
 */
@Injectable()
export class BillingService {
  private readonly logger = new Logger(BillingService.name);
  private readonly settings: BillingSettings;

  constructor(
    private readonly dataSource: DataSource,
    private readonly registry: CommuneRegistry,
    @Inject(GEMENG_CONFIG) config: GemengConfig,
  ) {
    this.settings = config.billing;
  }

  /** Parses `2026`, `2026-Q2` or `2026-03`; InvalidInputError otherwise. */
  parsePeriod(label: string): BillingPeriod {
    return parseBillingPeriod(label);
  }

  /**
   * Invoices every active commune for the period, once: a second run of the same period creates
   * nothing. With `preview`, computes and returns what would be issued and stores nothing. Each invoice
   * is issued in a transaction of its own: a failure for one commune is reported in `skipped`, the
   * others are issued, and a new run completes the period.
   */
  async run(
    ctx: RequestContext,
    period: string,
    options: {
      preview?: boolean;
      issueDate?: string;
      /** Called after each commune, with what was done (or, in a preview, would be). */
      onCommune?: (step: BillingRunStep, index: number, of: number) => void;
    } = {},
  ): Promise<BillingRunResult> {
    this.requireOperator(ctx);
    const billing = this.parsePeriod(period);
    const preview = Boolean(options.preview);
    const issueDate = options.issueDate ?? luxembourgDate();
    if (!isIsoDate(issueDate)) {
      throw new InvalidInputError('The issue date is invalid', [
        { path: 'issueDate', message: `"${String(issueDate)}" is not a date written YYYY-MM-DD` },
      ]);
    }
    if (!preview && this.settings.missing.length) {
      throw new ConflictError(
        `Billing is not configured: set ${this.settings.missing.join(', ')} (see docs/billing.md)`,
        { missing: this.settings.missing },
      );
    }
    const result: BillingRunResult = { period: billing, preview, invoices: [], alreadyInvoiced: [], skipped: [] };
    const prices = await this.dataSource.getRepository(BillingPriceEntity).find();
    const communes = await this.registry.list();
    // One read for the whole run; `issue` looks again under its lock, where it counts.
    const invoiced = new Map(
      (await this.periodInvoices(this.dataSource.manager, billing)).map((invoice) => [invoice.communeId, invoice]),
    );
    let index = 0;
    const report = (step: BillingRunStep): void => {
      if (step.outcome === 'skipped') result.skipped.push({ communeSlug: step.communeSlug, reason: step.reason });
      else (step.outcome === 'invoiced' ? result.invoices : result.alreadyInvoiced).push(step.invoice);
      options.onCommune?.(step, index, communes.length);
    };
    for (const commune of communes) {
      index++;
      const membership = membershipInPeriod(billing, commune.joinedOn, commune.leftOn);
      if (!membership) continue;
      if (commune.status !== 'active') {
        report({
          communeSlug: commune.slug,
          outcome: 'skipped',
          reason:
            commune.status === 'suspended'
              ? 'suspended: only active communes are invoiced; run the period again once it is resumed'
              : 'its onboarding is not finished',
        });
        continue;
      }
      const existing = invoiced.get(commune.id);
      if (existing) {
        report({
          communeSlug: commune.slug,
          outcome: 'already-invoiced',
          invoice: this.summary(existing, commune.slug),
        });
        continue;
      }
      const draft = await this.draft(commune, billing, membership, prices, issueDate);
      if (typeof draft === 'string') {
        report({ communeSlug: commune.slug, outcome: 'skipped', reason: draft });
        continue;
      }
      if (preview) {
        report({ communeSlug: commune.slug, outcome: 'invoiced', invoice: this.previewSummary(draft) });
        continue;
      }
      try {
        const issued = await this.issue(draft);
        const invoice = this.summary(issued.invoice, commune.slug);
        report({ communeSlug: commune.slug, outcome: issued.created ? 'invoiced' : 'already-invoiced', invoice });
      } catch (error) {
        // One commune's failure must not keep the others from being invoiced; the report names it.
        const message = error instanceof Error ? error.message : String(error);
        this.logger.error(`Invoicing ${commune.slug} for ${billing.label} failed: ${message}`);
        report({ communeSlug: commune.slug, outcome: 'skipped', reason: `issuing failed: ${message}` });
      }
    }
    return result;
  }

  /** Invoices and credit notes, newest first; `year` is the year of issue. */
  async list(ctx: RequestContext, filter: InvoiceFilter): Promise<InvoiceSummary[]> {
    this.requireOperator(ctx);
    const query = this.dataSource.getRepository(InvoiceEntity).createQueryBuilder('i');
    if (filter.communeSlug !== undefined) {
      const commune = await this.registry.getBySlug(filter.communeSlug);
      query.andWhere('i.commune_id = :communeId', { communeId: commune.id });
    }
    if (filter.number !== undefined) query.andWhere('i.number = :number', { number: filter.number });
    if (filter.year !== undefined) query.andWhere('i.year = :year', { year: filter.year });
    if (filter.status !== undefined) query.andWhere('i.status = :status', { status: filter.status });
    if (filter.kind !== undefined) query.andWhere('i.kind = :kind', { kind: filter.kind });
    const invoices = await query
      .orderBy('i.issue_date', 'DESC', 'NULLS LAST')
      .addOrderBy('i.kind', 'ASC')
      .addOrderBy('i.sequence', 'DESC')
      .getMany();
    const slugs = await this.communeSlugs();
    return invoices.map((invoice) => this.summary(invoice, slugs.get(invoice.communeId) ?? ''));
  }

  /** One invoice or credit note; NotFoundError otherwise. */
  async get(ctx: RequestContext, id: string): Promise<InvoiceSummary> {
    this.requireOperator(ctx);
    const invoice = await this.find(this.dataSource.manager, id);
    return this.summary(invoice, (await this.communeSlugs()).get(invoice.communeId) ?? '');
  }

  /** What the PDF and the UBL e-invoice show, for an issued document. */
  async document(ctx: RequestContext, id: string): Promise<BillingDocument> {
    this.requireOperator(ctx);
    return this.toDocument(await this.find(this.dataSource.manager, id));
  }

  /**
   * Records the payment of an issued invoice: its date (not before the issue date, not in the future)
   * and the bank's reference. Only an issued invoice can be paid, once.
   */
  async markPaid(
    ctx: RequestContext,
    id: string,
    payment: { paidOn: string; reference: string },
  ): Promise<InvoiceSummary> {
    this.requireOperator(ctx);
    const reference = typeof payment.reference === 'string' ? payment.reference.trim() : '';
    const problems: InputProblem[] = [];
    if (!isIsoDate(payment.paidOn)) {
      problems.push({ path: 'paidOn', message: `"${String(payment.paidOn)}" is not a date written YYYY-MM-DD` });
    } else if (payment.paidOn > luxembourgDate()) {
      problems.push({ path: 'paidOn', message: `${payment.paidOn} is in the future` });
    }
    if (!reference) problems.push({ path: 'reference', message: "the payment's reference is required" });
    else if (reference.length > 200) problems.push({ path: 'reference', message: 'is longer than 200 characters' });
    if (problems.length) throw new InvalidInputError('The payment is invalid', problems);
    const paid = await this.dataSource.transaction(async (manager) => {
      const invoice = await this.find(manager, id, { lock: true });
      if (invoice.kind !== 'invoice')
        throw new ConflictError(`${invoice.number} is a credit note; only invoices are paid`);
      if (invoice.status !== 'issued') {
        throw new ConflictError(`${invoice.number} is ${invoice.status}; only an issued invoice can be paid`, {
          status: invoice.status,
        });
      }
      if (payment.paidOn < invoice.issueDate) {
        throw new InvalidInputError('The payment is invalid', [
          { path: 'paidOn', message: `${payment.paidOn} is before the invoice's issue date ${invoice.issueDate}` },
        ]);
      }
      await manager.update(
        InvoiceEntity,
        { id: invoice.id },
        { status: 'paid', paidOn: payment.paidOn, paymentReference: reference },
      );
      return manager.findOneByOrFail(InvoiceEntity, { id: invoice.id });
    });
    return this.summary(paid, (await this.communeSlugs()).get(paid.communeId) ?? '');
  }

  /**
   * Issues a credit note for the whole invoice, which becomes `credited`. The credit note repeats the
   * invoice's parties, line and amounts, as positive amounts (a UBL CreditNote), and references it. An
   * invoice is credited once; its period can then be invoiced again by a new run.
   */
  async credit(ctx: RequestContext, id: string, reason: string): Promise<InvoiceSummary> {
    this.requireOperator(ctx);
    const note = typeof reason === 'string' ? reason.trim() : '';
    if (!note) throw new InvalidInputError('A credit note needs a reason', [{ path: 'reason', message: 'is empty' }]);
    if (note.length > 500) {
      throw new InvalidInputError('A credit note needs a reason', [
        { path: 'reason', message: 'is longer than 500 characters' },
      ]);
    }
    const creditNote = await this.dataSource.transaction(async (manager) => {
      const invoice = await this.find(manager, id, { lock: true });
      if (invoice.kind !== 'invoice')
        throw new ConflictError(`${invoice.number} is a credit note; only invoices are credited`);
      if (invoice.status === 'credited') {
        throw new ConflictError(`${invoice.number} is already credited`, { creditNoteId: invoice.relatedInvoiceId });
      }
      // Never dated before the invoice it cancels, even one issued ahead of its period.
      const issueDate = laterOf(luxembourgDate(), invoice.issueDate);
      const { year, sequence, number } = await this.nextNumber(manager, 'credit-note', issueDate);
      const inserted = await manager.insert(InvoiceEntity, {
        ...this.frozen(invoice),
        kind: 'credit-note',
        number,
        year,
        sequence,
        status: 'issued',
        issueDate,
        dueDate: issueDate,
        note,
        relatedInvoiceId: invoice.id,
      });
      const creditNoteId = inserted.identifiers[0].id as string;
      await manager.update(InvoiceEntity, { id: invoice.id }, { status: 'credited', relatedInvoiceId: creditNoteId });
      return manager.findOneByOrFail(InvoiceEntity, { id: creditNoteId });
    });
    return this.summary(creditNote, (await this.communeSlugs()).get(creditNote.communeId) ?? '');
  }

  /**
   * Sets the price per inhabitant per year and its VAT treatment from a date on, for one commune or (with
   * `communeSlug` null) as the platform default; a setting for the same commune and date is replaced.
   * Issued invoices keep the price they were issued with.
   */
  async setPrice(ctx: RequestContext, setting: PriceSetting): Promise<PriceSetting> {
    this.requireOperator(ctx);
    const problems: InputProblem[] = [];
    if (!isIsoDate(setting.validFrom)) {
      problems.push({ path: 'validFrom', message: `"${String(setting.validFrom)}" is not a date written YYYY-MM-DD` });
    }
    const cents = setting.centsPerInhabitantYear;
    if (!Number.isSafeInteger(cents) || cents < 0 || cents > MAX_PRICE_CENTS) {
      problems.push({
        path: 'centsPerInhabitantYear',
        message: `${cents} is not an amount in cents between 0 and ${MAX_PRICE_CENTS}`,
      });
    }
    problems.push(...vatTreatmentProblems(setting.vat ?? ({} as VatTreatment)));
    if (problems.length) throw new InvalidInputError('The price is invalid', problems);
    const commune = setting.communeSlug === null ? null : await this.registry.getBySlug(setting.communeSlug);
    const code = setting.vat.exemptionReasonCode?.trim() || null;
    const text = setting.vat.exemptionReason?.trim() || (setting.vat.category === 'O' ? 'Not subject to VAT' : null);
    await this.dataSource
      .createQueryBuilder()
      .insert()
      .into(BillingPriceEntity)
      .values({
        communeId: commune?.id ?? null,
        validFrom: setting.validFrom,
        centsPerInhabitantYear: cents,
        vatCategory: setting.vat.category,
        vatRate: setting.vat.rate,
        vatExemptionReasonCode: code,
        vatExemptionReason: text,
      })
      .orUpdate(
        ['cents_per_inhabitant_year', 'vat_category', 'vat_rate', 'vat_exemption_reason_code', 'vat_exemption_reason'],
        'billing_price_commune_valid_from_key',
      )
      .execute();
    const saved = await this.dataSource.getRepository(BillingPriceEntity).findOneByOrFail({
      communeId: commune ? commune.id : IsNull(),
      validFrom: setting.validFrom,
    });
    return this.toPriceSetting(saved, commune?.slug ?? null);
  }

  /**
   * The dated prices: all of them, or the platform defaults and the given commune's. A commune's
   * definition price (`pricePerInhabitant`) applies from its joining day where it has no dated price.
   */
  async prices(ctx: RequestContext, communeSlug?: string): Promise<PriceSetting[]> {
    this.requireOperator(ctx);
    const commune = communeSlug === undefined ? null : await this.registry.getBySlug(communeSlug);
    const query = this.dataSource.getRepository(BillingPriceEntity).createQueryBuilder('p');
    if (commune) query.where('p.commune_id IS NULL OR p.commune_id = :id', { id: commune.id });
    const rows = await query.getMany();
    const slugs = await this.communeSlugs();
    return rows
      .map((row) => this.toPriceSetting(row, row.communeId ? (slugs.get(row.communeId) ?? '') : null))
      .sort(
        (a, b) => (a.communeSlug ?? '').localeCompare(b.communeSlug ?? '') || a.validFrom.localeCompare(b.validFrom),
      );
  }

  /**
   * Per commune and period of the year: population, price, amount invoiced and paid. Credited invoices
   * count for nothing (their credit note cancels them). A commune that was a member in the year and has
   * no invoice for it yet has a row for the year with nothing invoiced, so that it is not overlooked.
   */
  async overview(ctx: RequestContext, year: number): Promise<OverviewRow[]> {
    this.requireOperator(ctx);
    if (!Number.isInteger(year) || year < 2000 || year > 2999) {
      throw new InvalidInputError('The year is invalid', [
        { path: 'year', message: `${year} is not a year between 2000 and 2999` },
      ]);
    }
    const invoices = await this.dataSource
      .getRepository(InvoiceEntity)
      .createQueryBuilder('i')
      .where("i.kind = 'invoice' AND i.status IN ('issued', 'paid')")
      .andWhere('i.period_start BETWEEN :start AND :end', { start: `${year}-01-01`, end: `${year}-12-31` })
      .getMany();
    const communes = await this.registry.list();
    const byId = new Map(communes.map((c) => [c.id, c]));
    const rows: OverviewRow[] = invoices.map((invoice) => {
      const commune = byId.get(invoice.communeId);
      return {
        communeSlug: commune?.slug ?? '',
        communeName: commune ? communeName(commune) : '',
        period: { label: invoice.periodLabel, start: invoice.periodStart, end: invoice.periodEnd },
        inhabitants: invoice.inhabitants,
        priceCents: invoice.priceCents,
        invoicedCents: invoice.totalCents,
        paidCents: invoice.status === 'paid' ? invoice.totalCents : 0,
      };
    });
    const invoiced = new Set(invoices.map((i) => i.communeId));
    const wholeYear = this.parsePeriod(String(year));
    const prices = await this.dataSource.getRepository(BillingPriceEntity).find();
    for (const commune of communes) {
      const membership = membershipInPeriod(wholeYear, commune.joinedOn, commune.leftOn);
      if (invoiced.has(commune.id) || !membership || commune.status === 'provisioning') continue;
      const figure = populationAt(await this.registry.population(commune.id), membership.start);
      const price = priceAt(this.priceSources(commune, prices), membership.start);
      rows.push({
        communeSlug: commune.slug,
        communeName: communeName(commune),
        period: wholeYear,
        inhabitants: figure?.inhabitants ?? 0,
        priceCents: price?.price.centsPerInhabitantYear ?? 0,
        invoicedCents: 0,
        paidCents: 0,
      });
    }
    return rows.sort(
      (a, b) => a.communeSlug.localeCompare(b.communeSlug) || a.period.start.localeCompare(b.period.start),
    );
  }

  /** The issued invoices and credit notes of the context's commune (its administrators' view). */
  async listForCommune(ctx: RequestContext): Promise<InvoiceSummary[]> {
    const commune = this.requireCommune(ctx);
    const invoices = await this.dataSource
      .getRepository(InvoiceEntity)
      .createQueryBuilder('i')
      .where('i.commune_id = :id', { id: commune.id })
      .orderBy('i.issue_date', 'DESC')
      .addOrderBy('i.kind', 'ASC')
      .addOrderBy('i.sequence', 'DESC')
      .getMany();
    return invoices.map((invoice) => this.summary(invoice, commune.slug));
  }

  /** A document of the context's commune only; NotFoundError for any other commune's. */
  async documentForCommune(ctx: RequestContext, id: string): Promise<BillingDocument> {
    const commune = this.requireCommune(ctx);
    const invoice = await this.find(this.dataSource.manager, id);
    // The same answer as for an id that does not exist: another commune's ids reveal nothing.
    if (invoice.communeId !== commune.id) throw new NotFoundError('No such invoice');
    return this.toDocument(invoice);
  }

  private requireOperator(ctx: RequestContext): void {
    if (!ctx.operator) throw new GemengError('FORBIDDEN', 'Billing is for the operator');
  }

  private requireCommune(ctx: RequestContext) {
    if (!ctx.commune) throw new GemengError('FORBIDDEN', "A commune's invoices are read on the commune's host");
    return ctx.commune;
  }

  private async communeSlugs(): Promise<Map<string, string>> {
    return new Map((await this.registry.list()).map((c) => [c.id, c.slug]));
  }

  private async find(manager: EntityManager, id: string, options: { lock?: boolean } = {}): Promise<InvoiceEntity> {
    if (typeof id !== 'string' || !UUID.test(id)) throw new NotFoundError('No such invoice');
    const invoice = await manager.findOne(InvoiceEntity, {
      where: { id },
      ...(options.lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
    });
    if (!invoice) throw new NotFoundError('No such invoice');
    return invoice;
  }

  /** The invoices of the period that still count (issued or paid): of one commune, or of all. */
  private periodInvoices(manager: EntityManager, period: BillingPeriod, communeId?: string): Promise<InvoiceEntity[]> {
    const query = manager
      .getRepository(InvoiceEntity)
      .createQueryBuilder('i')
      .where("i.kind = 'invoice' AND i.status <> 'credited'")
      .andWhere('i.period_start = :start AND i.period_end = :end', { start: period.start, end: period.end });
    if (communeId !== undefined) query.andWhere('i.commune_id = :communeId', { communeId });
    return query.getMany();
  }

  private priceSources(commune: CommuneEntity, prices: BillingPriceEntity[]) {
    return {
      commune: prices.filter((p) => p.communeId === commune.id).map(toDatedPrice),
      platform: prices.filter((p) => p.communeId === null).map(toDatedPrice),
      definition:
        commune.pricePerInhabitantCents === null
          ? null
          : { cents: commune.pricePerInhabitantCents, validFrom: commune.joinedOn },
    };
  }

  /** Settles everything the commune's invoice will say; a string says why it cannot be issued. */
  private async draft(
    commune: CommuneEntity,
    period: BillingPeriod,
    membership: { start: string; end: string; days: number },
    prices: BillingPriceEntity[],
    issueDate: string,
  ): Promise<InvoiceDraft | string> {
    const referenceDate = membership.start;
    const figure: PopulationRecordEntity | null = populationAt(
      await this.registry.population(commune.id),
      referenceDate,
    );
    if (!figure) return `no population figure on or before ${referenceDate}`;
    const price = priceAt(this.priceSources(commune, prices), referenceDate);
    if (!price) return `no platform price valid on ${referenceDate}`;
    const vat = price.price.vat;
    const buyer = this.buyer(commune, vat.category);
    if (typeof buyer === 'string') return buyer;
    const seller = this.seller(vat.category);
    if (typeof seller === 'string') return seller;
    const amounts = invoiceAmounts(
      period,
      { inhabitants: figure.inhabitants, billedDays: membership.days, priceCents: price.price.centsPerInhabitantYear },
      vat,
    );
    const { days } = periodYear(period);
    const description =
      `Gemeng platform, ${grouped.format(figure.inhabitants)} inhabitants at ${figure.referenceDate} ` +
      `(${figure.source}), ${membership.start} to ${membership.end}: ${membership.days} of ${days} days`;
    return {
      commune,
      period,
      values: {
        kind: 'invoice',
        communeId: commune.id,
        periodLabel: period.label,
        periodStart: period.start,
        periodEnd: period.end,
        issueDate,
        dueDate: addDays(issueDate, this.settings.paymentDays),
        inhabitants: figure.inhabitants,
        populationReferenceDate: figure.referenceDate,
        populationSource: figure.source,
        priceCents: price.price.centsPerInhabitantYear,
        billedFrom: membership.start,
        billedTo: membership.end,
        billedDays: membership.days,
        daysInYear: amounts.daysInYear,
        quantity: amounts.quantity,
        netCents: amounts.netCents,
        taxCents: amounts.taxCents,
        totalCents: amounts.totalCents,
        vatCategory: vat.category,
        vatRate: vat.rate,
        vatExemptionReasonCode: vat.exemptionReasonCode ?? null,
        vatExemptionReason: vat.exemptionReason ?? null,
        buyerReference: buyer.reference,
        buyer: buyer.party,
        seller,
        payment: this.payment(),
        lineDescription: description,
      },
    };
  }

  /**
   * The commune as buyer. A supply not subject to VAT carries no VAT identifier of either party
   * (EN 16931 BR-O-02).
   */
  private buyer(commune: CommuneEntity, category: VatCategory): { party: BillingParty; reference: string } | string {
    const details = commune.billing ?? {};
    const endpoint = /^([0-9]{4}):(.+)$/.exec(details.endpoint ?? '');
    if (!endpoint) return 'no Peppol endpoint in its billing details (billing.endpoint of its definition)';
    const address = details.address ?? parseLuxembourgAddress(commune.contact.address);
    if (!address) return 'no postal address: its definition needs billing.address';
    return {
      reference: details.buyerReference || commune.slug.toUpperCase(),
      party: {
        name: details.name || communeName(commune),
        address,
        ...(details.vatId && category !== 'O' ? { vatId: details.vatId } : {}),
        endpoint: { scheme: endpoint[1], id: endpoint[2] },
        contact: { email: commune.contact.email, phone: commune.contact.phone },
      },
    };
  }

  /** The operator as seller, from the configuration; a string says what is missing for the category. */
  private seller(category: VatCategory): BillingParty | string {
    const seller = this.settings.seller;
    // BR-S-02, BR-Z-02, BR-E-02: a taxed, zero-rated or exempt supply names the seller's VAT identifier.
    if (category !== 'O' && !seller.vatId) return `VAT category ${category} needs the seller's BILLING_SELLER_VAT_ID`;
    // BR-O-02 keeps the VAT identifier off a supply not subject to VAT, and BR-CO-26 still wants the
    // seller identified: by its legal registration identifier then.
    if (category === 'O' && !seller.companyId) {
      return 'VAT category O shows no VAT number, so the seller needs BILLING_SELLER_COMPANY_ID (EN 16931 BR-CO-26)';
    }
    return {
      name: seller.name,
      address: {
        lines: seller.addressLines,
        postalCode: seller.postalCode,
        city: seller.city,
        countryCode: seller.countryCode,
      },
      ...(seller.vatId && category !== 'O' ? { vatId: seller.vatId } : {}),
      ...(seller.companyId ? { companyId: seller.companyId } : {}),
      endpoint: seller.endpoint,
      ...(seller.email ? { contact: { email: seller.email } } : {}),
    };
  }

  private payment(): PaymentSnapshot {
    return {
      iban: this.settings.iban,
      ...(this.settings.bic ? { bic: this.settings.bic } : {}),
      accountName: this.settings.seller.name,
      paymentDays: this.settings.paymentDays,
    };
  }

  /**
   * Issues a drafted invoice in a transaction of its own. A lock per commune and period makes a
   * concurrent run wait and then find the invoice; the number is taken last, from the counter row, so
   * a rollback gives it back and numbers have no gap.
   */
  private async issue(draft: InvoiceDraft): Promise<{ invoice: InvoiceEntity; created: boolean }> {
    const { commune, period } = draft;
    return this.dataSource.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [
        BILLING_LOCK_CLASS,
        `${commune.id}:${period.start}:${period.end}`,
      ]);
      const [existing] = await this.periodInvoices(manager, period, commune.id);
      if (existing) return { invoice: existing, created: false };
      const { year, sequence, number } = await this.nextNumber(manager, 'invoice', draft.values.issueDate);
      const inserted = await manager.insert(InvoiceEntity, {
        ...draft.values,
        number,
        year,
        sequence,
        status: 'issued',
      });
      const invoice = await manager.findOneByOrFail(InvoiceEntity, { id: inserted.identifiers[0].id as string });
      return { invoice, created: true };
    });
  }

  /** The next number of the kind in the issue date's year, taken in the caller's transaction. */
  private async nextNumber(
    manager: EntityManager,
    kind: InvoiceKind,
    issueDate: string,
  ): Promise<{ year: number; sequence: number; number: string }> {
    const year = Number(issueDate.slice(0, 4));
    const rows: { last_number: number }[] = await manager.query(
      `INSERT INTO platform.invoice_number_counter AS c (year, kind, last_number) VALUES ($1, $2, 1)
       ON CONFLICT (year, kind) DO UPDATE SET last_number = c.last_number + 1
       RETURNING c.last_number`,
      [year, kind],
    );
    const sequence = rows[0].last_number;
    return { year, sequence, number: formatDocumentNumber(kind, year, sequence) };
  }

  /** The columns a credit note repeats from its invoice. */
  private frozen(invoice: InvoiceEntity): InvoiceDraft['values'] {
    const {
      id: _id,
      number: _number,
      year: _year,
      sequence: _sequence,
      status: _status,
      paidOn: _paidOn,
      paymentReference: _paymentReference,
      relatedInvoiceId: _related,
      createdAt: _createdAt,
      note: _note,
      ...values
    } = invoice;
    return values;
  }

  private summary(invoice: InvoiceEntity, communeSlug: string): InvoiceSummary {
    return {
      id: invoice.id,
      kind: invoice.kind,
      number: invoice.number,
      status: invoice.status,
      communeId: invoice.communeId,
      communeSlug,
      period: { label: invoice.periodLabel, start: invoice.periodStart, end: invoice.periodEnd },
      issueDate: invoice.issueDate,
      dueDate: invoice.dueDate,
      inhabitants: invoice.inhabitants,
      priceCents: invoice.priceCents,
      netCents: invoice.netCents,
      taxCents: invoice.taxCents,
      totalCents: invoice.totalCents,
      paidOn: invoice.paidOn,
      paymentReference: invoice.paymentReference,
      relatedInvoiceId: invoice.relatedInvoiceId,
    };
  }

  /** What a preview shows: a draft that exists nowhere, with no number and no id in the database. */
  private previewSummary(draft: InvoiceDraft): InvoiceSummary {
    const v = draft.values;
    return {
      id: `preview:${draft.commune.slug}:${draft.period.label}`,
      kind: 'invoice',
      number: null,
      status: 'draft',
      communeId: draft.commune.id,
      communeSlug: draft.commune.slug,
      period: draft.period,
      issueDate: v.issueDate,
      dueDate: v.dueDate,
      inhabitants: v.inhabitants,
      priceCents: v.priceCents,
      netCents: v.netCents,
      taxCents: v.taxCents,
      totalCents: v.totalCents,
      paidOn: null,
      paymentReference: null,
      relatedInvoiceId: null,
    };
  }

  private toPriceSetting(row: BillingPriceEntity, communeSlug: string | null): PriceSetting {
    return {
      communeSlug,
      validFrom: row.validFrom,
      centsPerInhabitantYear: row.centsPerInhabitantYear,
      vat: vatOf(row),
    };
  }

  /** The rendering of an issued document, from what was frozen at issue; nothing is recomputed. */
  private async toDocument(invoice: InvoiceEntity): Promise<BillingDocument> {
    const preceding =
      invoice.kind === 'credit-note' && invoice.relatedInvoiceId
        ? await this.dataSource.getRepository(InvoiceEntity).findOneByOrFail({ id: invoice.relatedInvoiceId })
        : null;
    const number = invoice.number;
    const vat = vatOf(invoice);
    return {
      kind: invoice.kind,
      number,
      issueDate: invoice.issueDate,
      dueDate: invoice.dueDate,
      currency: 'EUR',
      buyerReference: invoice.buyerReference,
      ...(preceding ? { precedingInvoice: { number: preceding.number, issueDate: preceding.issueDate } } : {}),
      ...(invoice.note ? { note: invoice.note } : {}),
      period: { start: invoice.periodStart, end: invoice.periodEnd },
      seller: invoice.seller,
      buyer: invoice.buyer,
      lines: [
        {
          id: '1',
          description: invoice.lineDescription,
          quantity: invoice.quantity,
          unitCode: 'C62',
          priceCents: invoice.priceCents,
          priceBaseQuantity: invoice.daysInYear,
          netCents: invoice.netCents,
          vatCategory: invoice.vatCategory,
          vatRate: invoice.vatRate,
          period: { start: invoice.billedFrom, end: invoice.billedTo },
        },
      ],
      vat: [{ ...vat, taxableCents: invoice.netCents, taxCents: invoice.taxCents }],
      totals: {
        lineNetCents: invoice.netCents,
        taxExclusiveCents: invoice.netCents,
        taxCents: invoice.taxCents,
        taxInclusiveCents: invoice.totalCents,
        payableCents: invoice.totalCents,
      },
      payment: {
        meansCode: '58',
        iban: invoice.payment.iban,
        ...(invoice.payment.bic ? { bic: invoice.payment.bic } : {}),
        accountName: invoice.payment.accountName,
        terms:
          invoice.kind === 'invoice'
            ? `Payable within ${invoice.payment.paymentDays} days, by ${invoice.dueDate}, quoting ${number}`
            : `Cancels invoice ${preceding?.number}: ${preceding?.paidOn ? 'the amount paid is refunded' : 'nothing is to be paid'}`,
        reference: number,
      },
    };
  }
}
