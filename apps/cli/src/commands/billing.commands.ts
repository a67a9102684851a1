import { writeFile } from 'node:fs/promises';
import type { INestApplicationContext } from '@nestjs/common';
import {
  BillingService,
  formatAmount,
  issuedTotalCents,
  overviewCsv,
  overviewTotals,
  renderPdf,
  renderUbl,
  type InvoiceKind,
  type InvoiceStatus,
  type InvoiceSummary,
  type PriceSetting,
  type VatCategory,
  type VatTreatment,
} from '@gemeng/billing';
import { NotFoundError, RequestContext } from '@gemeng/core';
import { UsageError } from '../usage';
import { table, type Output } from '../output';

export const BILLING_COMMANDS = ['run', 'list', 'show', 'pay', 'credit', 'price', 'prices', 'overview', 'pdf', 'xml'];

const STATUSES: InvoiceStatus[] = ['draft', 'issued', 'paid', 'credited'];
const KINDS: InvoiceKind[] = ['invoice', 'credit-note'];
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const VAT = /^([SEZO])(?::(\d{1,2}(?:\.\d{1,2})?))?$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface BillingFlags {
  preview?: boolean;
  commune?: string;
  year?: string;
  status?: string;
  kind?: string;
  json?: boolean;
  date?: string;
  reference?: string;
  reason?: string;
  default?: boolean;
  from?: string;
  cents?: string;
  vat?: string;
  vatex?: string;
  'vatex-reason'?: string;
  csv?: boolean;
  out?: string;
}

/** The command line acts as the operator: it runs where the operator's database credentials are. */
function operatorContext(): RequestContext {
  return new RequestContext({ operator: true });
}

function eur(cents: number): string {
  return `${formatAmount(cents)} EUR`;
}

function one(args: string[], what: string, command: string): string {
  if (args.length !== 1) throw new UsageError(`billing ${command} takes one ${what}`);
  return args[0];
}

function wholeNumber(value: string, option: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max) throw new UsageError(`${option} must be a whole number from ${min}`);
  return n;
}

function date(value: string | undefined, option: string, command: string): string {
  if (!value) throw new UsageError(`billing ${command} needs ${option} YYYY-MM-DD`);
  if (!DATE.test(value)) throw new UsageError(`${option} must be a date as YYYY-MM-DD, got "${value}"`);
  return value;
}

/** An invoice or credit note by its number (INV-2026-000001), or by its id. */
async function find(billing: BillingService, ctx: RequestContext, reference: string): Promise<InvoiceSummary> {
  if (UUID.test(reference)) return billing.get(ctx, reference);
  const [found] = await billing.list(ctx, { number: reference });
  if (!found) throw new NotFoundError(`No invoice or credit note ${reference}`);
  return found;
}

function describe(invoice: InvoiceSummary): string[] {
  return [
    `${invoice.number ?? '(draft)'}  ${invoice.kind}  ${invoice.status}`,
    `  commune       ${invoice.communeSlug}`,
    `  period        ${invoice.period.label} (${invoice.period.start} to ${invoice.period.end})`,
    `  issued        ${invoice.issueDate ?? '-'}, due ${invoice.dueDate ?? '-'}`,
    `  inhabitants   ${invoice.inhabitants} at ${eur(invoice.priceCents)} per inhabitant and year`,
    `  net           ${eur(invoice.netCents)}`,
    `  VAT           ${eur(invoice.taxCents)}`,
    `  total         ${eur(invoice.totalCents)}`,
    ...(invoice.paidOn ? [`  paid          ${invoice.paidOn}, reference ${invoice.paymentReference ?? '-'}`] : []),
    `  id            ${invoice.id}`,
  ];
}

/**
 * `billing run <period> [--preview]`: invoices every active commune for the period, one line per
 * commune, then a summary. Running a period again issues nothing new; `--preview` issues nothing.
 */
async function runBilling(billing: BillingService, out: Output, args: string[], flags: BillingFlags): Promise<number> {
  const period = one(args, 'period (2026, 2026-Q2 or 2026-03)', 'run');
  const preview = Boolean(flags.preview);
  const result = await billing.run(operatorContext(), period, {
    preview,
    onCommune: (step, index, of) => {
      const position = `[${String(index).padStart(String(of).length)}/${of}] ${step.communeSlug}`;
      if (step.outcome === 'skipped') {
        out.line(`${position}: not invoiced: ${step.reason}`);
      } else if (step.outcome === 'already-invoiced') {
        out.line(`${position}: already invoiced (${step.invoice.number ?? 'draft'}), nothing new`);
      } else {
        const invoice = step.invoice;
        out.line(
          `${position}: ${preview ? 'would invoice' : (invoice.number ?? 'draft')} ${invoice.inhabitants} inhabitants x ` +
            `${eur(invoice.priceCents)}, ${invoice.period.start} to ${invoice.period.end}: ${eur(invoice.totalCents)}`,
        );
      }
    },
  });
  const amount = eur(issuedTotalCents(result));
  out.line(
    `${result.period.label}: ${result.invoices.length} invoice(s) ${result.preview ? 'would be issued (preview, nothing stored)' : 'issued'}, ` +
      `total ${amount}; ${result.alreadyInvoiced.length} already invoiced; ${result.skipped.length} not invoiced`,
  );
  return 0;
}

/** `billing list [--commune slug] [--year Y] [--status s] [--kind k] [--json]`. */
async function listInvoices(billing: BillingService, out: Output, flags: BillingFlags): Promise<number> {
  if (flags.status && !STATUSES.includes(flags.status as InvoiceStatus)) {
    throw new UsageError(`--status must be one of ${STATUSES.join(', ')}`);
  }
  if (flags.kind && !KINDS.includes(flags.kind as InvoiceKind)) {
    throw new UsageError(`--kind must be one of ${KINDS.join(', ')}`);
  }
  const invoices = await billing.list(operatorContext(), {
    communeSlug: flags.commune,
    year: flags.year ? wholeNumber(flags.year, '--year', 2000, 2999) : undefined,
    status: flags.status as InvoiceStatus | undefined,
    kind: flags.kind as InvoiceKind | undefined,
  });
  if (flags.json) {
    out.line(
      JSON.stringify(
        invoices.map((i) => ({
          ...i,
          price: formatAmount(i.priceCents),
          net: formatAmount(i.netCents),
          tax: formatAmount(i.taxCents),
          total: formatAmount(i.totalCents),
        })),
        null,
        2,
      ),
    );
    return 0;
  }
  if (!invoices.length) {
    out.line('No invoices.');
    return 0;
  }
  const rows = [
    ['NUMBER', 'KIND', 'STATUS', 'COMMUNE', 'PERIOD', 'ISSUED', 'DUE', 'TOTAL', 'PAID'],
    ...invoices.map((i) => [
      i.number ?? '(draft)',
      i.kind,
      i.status,
      i.communeSlug,
      i.period.label,
      i.issueDate ?? '-',
      i.dueDate ?? '-',
      formatAmount(i.totalCents),
      i.paidOn ?? '-',
    ]),
  ];
  table(rows).forEach((r) => out.line(r));
  out.line(`${invoices.length} document(s)`);
  return 0;
}

/** `billing pay <number> --date YYYY-MM-DD --reference R`. */
async function payInvoice(billing: BillingService, out: Output, args: string[], flags: BillingFlags): Promise<number> {
  const number = one(args, 'invoice number', 'pay');
  const paidOn = date(flags.date, '--date', 'pay');
  if (!flags.reference?.trim()) throw new UsageError('billing pay needs --reference "<payment reference>"');
  const ctx = operatorContext();
  const paid = await billing.markPaid(ctx, (await find(billing, ctx, number)).id, {
    paidOn,
    reference: flags.reference.trim(),
  });
  out.line(`${paid.number}: paid on ${paid.paidOn}, reference ${paid.paymentReference}`);
  return 0;
}

/** `billing credit <number> --reason "..."`: a credit note for the whole invoice. */
async function creditInvoice(
  billing: BillingService,
  out: Output,
  args: string[],
  flags: BillingFlags,
): Promise<number> {
  const number = one(args, 'invoice number', 'credit');
  if (!flags.reason?.trim()) throw new UsageError('billing credit needs --reason "<why>"');
  const ctx = operatorContext();
  const note = await billing.credit(ctx, (await find(billing, ctx, number)).id, flags.reason.trim());
  out.line(`${number}: credited by ${note.number} (${eur(note.totalCents)})`);
  return 0;
}

/** The VAT of `--vat S:17 | E --vatex ...`, or without `--vat` the treatment in force at that date. */
async function vatTreatment(
  billing: BillingService,
  ctx: RequestContext,
  flags: BillingFlags,
  communeSlug: string | null,
  validFrom: string,
): Promise<VatTreatment> {
  if (!flags.vat) {
    if (flags.vatex) throw new UsageError('--vatex goes with --vat E or --vat O');
    const settings = await billing.prices(ctx, communeSlug ?? undefined);
    const latest = (slug: string | null): PriceSetting | undefined =>
      settings
        .filter((s) => s.communeSlug === slug && s.validFrom <= validFrom)
        .sort((a, b) => b.validFrom.localeCompare(a.validFrom))[0];
    const inForce = (communeSlug === null ? undefined : latest(communeSlug)) ?? latest(null);
    if (!inForce) {
      throw new UsageError('No VAT treatment in force at that date: give --vat S:17 or --vat E --vatex <code>');
    }
    return inForce.vat;
  }
  const match = VAT.exec(flags.vat);
  if (!match) throw new UsageError(`--vat must be S:<rate>, Z, E or O (e.g. S:17), got "${flags.vat}"`);
  const category = match[1] as VatCategory;
  if (category === 'S' && match[2] === undefined) throw new UsageError('--vat S needs its rate, e.g. S:17');
  if ((category === 'E' || category === 'O') && !flags.vatex) {
    throw new UsageError(`--vat ${category} needs --vatex <VATEX code>, e.g. --vatex VATEX-EU-132`);
  }
  if (flags.vatex && category !== 'E' && category !== 'O') throw new UsageError('--vatex goes with --vat E or --vat O');
  return {
    category,
    rate: category === 'S' ? Number(match[2]) : 0,
    exemptionReasonCode: flags.vatex,
    exemptionReason: flags['vatex-reason'],
  };
}

/**
 * `billing price --commune slug|--default --from YYYY-MM-DD --cents N [--vat S:17 | --vat E --vatex ...]`:
 * a price per inhabitant per year from a date on.
 */
async function setPrice(billing: BillingService, out: Output, args: string[], flags: BillingFlags): Promise<number> {
  if (args.length) throw new UsageError('billing price takes options only');
  if (Boolean(flags.commune) === Boolean(flags.default)) {
    throw new UsageError('billing price takes either --commune <slug> or --default');
  }
  const validFrom = date(flags.from, '--from', 'price');
  if (!flags.cents) throw new UsageError('billing price needs --cents N (cents per inhabitant per year, e.g. 2000)');
  const cents = wholeNumber(flags.cents, '--cents', 0);
  const ctx = operatorContext();
  const communeSlug = flags.commune ?? null;
  const saved = await billing.setPrice(ctx, {
    communeSlug,
    validFrom,
    centsPerInhabitantYear: cents,
    vat: await vatTreatment(billing, ctx, flags, communeSlug, validFrom),
  });
  out.line(`${priceLine(saved)}: saved`);
  return 0;
}

function priceLine(setting: PriceSetting): string {
  const { vat } = setting;
  const treatment =
    vat.category === 'S' || vat.category === 'Z'
      ? `VAT ${vat.category} ${vat.rate} %`
      : `VAT ${vat.category} ${vat.exemptionReasonCode ?? ''}${vat.exemptionReason ? ` (${vat.exemptionReason})` : ''}`;
  return `${setting.communeSlug ?? 'default'} from ${setting.validFrom}: ${eur(setting.centsPerInhabitantYear)} per inhabitant and year, ${treatment}`;
}

/** `billing prices [--commune slug]`: the prices by date. */
async function listPrices(billing: BillingService, out: Output, flags: BillingFlags): Promise<number> {
  const settings = await billing.prices(operatorContext(), flags.commune);
  if (!settings.length) out.line('No prices.');
  settings.forEach((s) => out.line(priceLine(s)));
  return 0;
}

/** `billing overview <year> [--csv]`: per commune and period, invoiced and paid, with the totals. */
async function overview(billing: BillingService, out: Output, args: string[], flags: BillingFlags): Promise<number> {
  const year = wholeNumber(one(args, 'year', 'overview'), 'The year', 2000, 2999);
  const rows = await billing.overview(operatorContext(), year);
  if (flags.csv) {
    out.line(overviewCsv(rows).trimEnd());
    return 0;
  }
  if (!rows.length) {
    out.line(`Nothing invoiced for ${year}.`);
    return 0;
  }
  const totals = overviewTotals(rows);
  const lines = table([
    ['COMMUNE', 'PERIOD', 'INHABITANTS', 'PRICE', 'INVOICED', 'PAID', 'OUTSTANDING'],
    ...rows.map((r) => [
      r.communeSlug,
      r.period.label,
      String(r.inhabitants),
      formatAmount(r.priceCents),
      formatAmount(r.invoicedCents),
      formatAmount(r.paidCents),
      formatAmount(r.invoicedCents - r.paidCents),
    ]),
    [
      'total',
      '',
      '',
      '',
      formatAmount(totals.invoicedCents),
      formatAmount(totals.paidCents),
      formatAmount(totals.outstandingCents),
    ],
  ]);
  lines.forEach((line) => out.line(line));
  return 0;
}

/** `billing pdf|xml <number> --out <file>`: the document as the commune receives it. */
async function download(
  billing: BillingService,
  out: Output,
  format: 'pdf' | 'xml',
  args: string[],
  flags: BillingFlags,
): Promise<number> {
  const number = one(args, 'invoice number', format);
  if (!flags.out) throw new UsageError(`billing ${format} needs --out <file.${format}>`);
  const ctx = operatorContext();
  const document = await billing.document(ctx, (await find(billing, ctx, number)).id);
  const body = format === 'pdf' ? await renderPdf(document) : Buffer.from(renderUbl(document), 'utf8');
  await writeFile(flags.out, body);
  out.line(`${document.number}: written to ${flags.out} (${body.length} bytes)`);
  return 0;
}

/** Runs one `billing` command as the operator; exit status 0 done, 1 failed (usage errors are thrown). */
export async function billingCommand(
  app: INestApplicationContext,
  out: Output,
  command: string,
  args: string[],
  flags: BillingFlags,
): Promise<number> {
  const billing = app.get(BillingService);
  switch (command) {
    case 'run':
      return runBilling(billing, out, args, flags);
    case 'list':
      return listInvoices(billing, out, flags);
    case 'show': {
      const ctx = operatorContext();
      describe(await find(billing, ctx, one(args, 'invoice number', 'show'))).forEach((line) => out.line(line));
      return 0;
    }
    case 'pay':
      return payInvoice(billing, out, args, flags);
    case 'credit':
      return creditInvoice(billing, out, args, flags);
    case 'price':
      return setPrice(billing, out, args, flags);
    case 'prices':
      return listPrices(billing, out, flags);
    case 'overview':
      return overview(billing, out, args, flags);
    default:
      return download(billing, out, command === 'pdf' ? 'pdf' : 'xml', args, flags);
  }
}
