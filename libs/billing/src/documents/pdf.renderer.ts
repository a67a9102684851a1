import PDFDocument from 'pdfkit';
import type { BillingDocument, BillingDocumentLine, BillingParty } from './billing-document';
import { INVOICE_LABELS, type InvoiceLabels, type InvoiceLocale } from './pdf.labels';
import { formatAmount } from './ubl.renderer';

export interface RenderPdfOptions {
  /** French by default, and for the platform's languages that have no invoice translation (lb, de). */
  locale?: string;
}

const MARGIN = 50;
const PAGE_WIDTH = 595.28;
const PAGE_HEIGHT = 841.89;
const CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN;
/** Room kept at the foot of every page for the footer line. */
const FOOTER_HEIGHT = 30;
const MUTED = '#555555';
const RULE = '#bbbbbb';

interface Column {
  x: number;
  width: number;
}

/** Columns of the lines table: description, quantity, unit price, net amount. */
const LINE_COLUMNS: Column[] = [
  { x: MARGIN, width: 170 },
  { x: MARGIN + 175, width: 140 },
  { x: MARGIN + 320, width: 95 },
  { x: MARGIN + 420, width: CONTENT_WIDTH - 420 },
];
/** Columns of the VAT breakdown: category with its exemption, taxable amount, VAT. */
const BREAKDOWN_COLUMNS: Column[] = [{ x: MARGIN, width: 315 }, LINE_COLUMNS[2], LINE_COLUMNS[3]];

/**
 * Renders an issued invoice or credit note as an A4 PDF: seller and buyer, number, dates, period and
 * buyer reference, the lines with their inhabitants x days, the VAT breakdown with any exemption, the
 * totals and how to pay. The figures are the document's own; nothing is computed here but their display.
 */
export function renderPdf(doc: BillingDocument, options: RenderPdfOptions = {}): Promise<Buffer> {
  const labels = INVOICE_LABELS[isInvoiceLocale(options.locale) ? options.locale : 'fr'];
  const format = formatters(labels.intl, doc.currency);
  const title = labels.title[doc.kind];
  const pdf = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    bufferPages: true,
    lang: labels.intl,
    info: {
      Title: `${title} ${doc.number}`,
      Author: doc.seller.name,
      Subject: `${title} ${doc.number} – ${doc.buyer.name}`,
      // The issue date rather than the rendering time, so that the same document always renders the same.
      CreationDate: new Date(`${doc.issueDate}T00:00:00Z`),
    },
  });
  const output = collect(pdf);
  const writer = new PageWriter(pdf);

  const headerTop = writer.y;
  pdf.font('Helvetica-Bold').fontSize(13).fillColor('black');
  pdf.text(clean(doc.seller.name), MARGIN, headerTop, { width: 230 });
  pdf.font('Helvetica').fontSize(9).fillColor(MUTED);
  pdf.text(partyLines(doc.seller, labels).join('\n'), { width: 230 });
  const sellerBottom = pdf.y;

  const metaX = MARGIN + 240;
  const metaWidth = CONTENT_WIDTH - 240;
  pdf.font('Helvetica-Bold').fontSize(20).fillColor('black');
  pdf.text(title, metaX, headerTop, { width: metaWidth });
  pdf.moveDown(0.3);
  const meta: [string, string][] = [
    [labels.number, doc.number],
    [labels.issueDate, format.date(doc.issueDate)],
    [labels.dueDate, format.date(doc.dueDate)],
    [labels.period, format.period(doc.period)],
    [labels.buyerReference, doc.buyerReference],
  ];
  if (doc.precedingInvoice) {
    meta.push([labels.corrects, `${doc.precedingInvoice.number} (${format.date(doc.precedingInvoice.issueDate)})`]);
  }
  for (const [label, value] of meta) {
    const rowY = pdf.y;
    pdf.font('Helvetica').fontSize(9).fillColor(MUTED).text(label, metaX, rowY, { width: 85 });
    pdf
      .font('Helvetica-Bold')
      .fillColor('black')
      .text(clean(value), metaX + 85, rowY, { width: metaWidth - 85 });
  }
  pdf.moveDown(1);
  pdf.font('Helvetica').fontSize(8).fillColor(MUTED).text(labels.billedTo.toUpperCase(), metaX, pdf.y, {
    width: metaWidth,
  });
  pdf.font('Helvetica-Bold').fontSize(10).fillColor('black').text(clean(doc.buyer.name), { width: metaWidth });
  pdf.font('Helvetica').fontSize(9).fillColor('black').text(partyLines(doc.buyer, labels).join('\n'), {
    width: metaWidth,
  });
  writer.y = Math.max(sellerBottom, pdf.y) + 25;

  if (doc.note?.trim()) {
    pdf.font('Helvetica-Oblique').fontSize(9).fillColor('black');
    writer.block(pdf.heightOfString(clean(doc.note), { width: CONTENT_WIDTH }) + 12, (y) => {
      pdf.text(clean(doc.note ?? ''), MARGIN, y, { width: CONTENT_WIDTH });
    });
  }

  writer.tableHeader(LINE_COLUMNS, [labels.description, labels.quantity, labels.unitPrice, labels.net]);
  for (const line of doc.lines) {
    const cells = [
      `${clean(line.description)}\n${labels.lineVat(vatText(line.vatCategory, line.vatRate, labels, format))}`,
      quantityText(line, labels, format),
      `${format.money(line.priceCents)}\n${labels.perInhabitantYear}`,
      format.money(line.netCents),
    ];
    writer.tableRow(LINE_COLUMNS, cells);
  }

  writer.y += 15;
  writer.tableHeader(BREAKDOWN_COLUMNS, [labels.vatBreakdown, labels.taxable, labels.vat]);
  for (const breakdown of doc.vat) {
    const exemption = [breakdown.exemptionReasonCode, breakdown.exemptionReason].filter(Boolean).join(' – ');
    writer.tableRow(BREAKDOWN_COLUMNS, [
      vatText(breakdown.category, breakdown.rate, labels, format) + (exemption ? `\n${clean(exemption)}` : ''),
      format.money(breakdown.taxableCents),
      format.money(breakdown.taxCents),
    ]);
  }

  writer.y += 10;
  const totals: [string, number, boolean][] = [
    [labels.totalNet, doc.totals.taxExclusiveCents, false],
    [labels.totalVat, doc.totals.taxCents, false],
    [labels.totalGross, doc.totals.taxInclusiveCents, false],
    [doc.kind === 'credit-note' ? labels.refundable : labels.payable, doc.totals.payableCents, true],
  ];
  writer.block(totals.length * 16 + 6, (y) => {
    let rowY = y;
    for (const [label, cents, strong] of totals) {
      pdf
        .font(strong ? 'Helvetica-Bold' : 'Helvetica')
        .fontSize(strong ? 11 : 9)
        .fillColor('black');
      if (strong)
        pdf
          .moveTo(MARGIN + 260, rowY - 3)
          .lineTo(PAGE_WIDTH - MARGIN, rowY - 3)
          .strokeColor(RULE)
          .stroke();
      pdf.text(label, MARGIN + 260, rowY, { width: 150 });
      pdf.text(format.money(cents), MARGIN + 410, rowY, { width: CONTENT_WIDTH - 410, align: 'right' });
      rowY += 16;
    }
  });

  writer.y += 15;
  const payment: [string, string][] = [
    [labels.paymentTerms, doc.payment.terms],
    [labels.paymentMeans, doc.payment.meansCode === '58' ? labels.transfer : doc.payment.meansCode],
    [labels.accountHolder, doc.payment.accountName],
    [labels.iban, groupIban(doc.payment.iban)],
  ];
  if (doc.payment.bic) payment.push([labels.bic, doc.payment.bic]);
  payment.push([labels.paymentReference, doc.payment.reference]);
  pdf.fontSize(9);
  for (const [label, value] of payment) {
    pdf.font('Helvetica-Bold');
    const height = pdf.heightOfString(clean(value), { width: CONTENT_WIDTH - 150 }) + 3;
    writer.block(height, (y) => {
      pdf.font('Helvetica').fillColor(MUTED).text(label, MARGIN, y, { width: 145 });
      pdf
        .font('Helvetica-Bold')
        .fillColor('black')
        .text(clean(value), MARGIN + 150, y, { width: CONTENT_WIDTH - 150 });
    });
  }

  writer.footers(
    [doc.seller.name, doc.seller.vatId && `${labels.vatId} ${doc.seller.vatId}`].filter(Boolean).join(' · '),
    labels,
  );
  pdf.end();
  return output;
}

/** Keeps track of the vertical position and starts a new page when a block would not fit. */
class PageWriter {
  y = MARGIN;

  constructor(private readonly pdf: PDFKit.PDFDocument) {}

  block(height: number, draw: (y: number) => void): void {
    if (this.y + height > PAGE_HEIGHT - MARGIN - FOOTER_HEIGHT) {
      this.pdf.addPage();
      this.y = MARGIN;
    }
    draw(this.y);
    this.y += height;
  }

  tableHeader(columns: Column[], titles: string[]): void {
    this.pdf.font('Helvetica-Bold').fontSize(9).fillColor('black');
    this.block(18, (y) => {
      titles.forEach((title, index) => {
        const column = columns[index];
        this.pdf.text(title, column.x, y, { width: column.width, align: index === 0 ? 'left' : 'right' });
      });
      this.rule(y + 13);
    });
  }

  tableRow(columns: Column[], cells: string[]): void {
    this.pdf.font('Helvetica').fontSize(9);
    const height = Math.max(
      ...cells.map((cell, index) => this.pdf.heightOfString(cell, { width: columns[index].width })),
    );
    this.block(height + 10, (y) => {
      cells.forEach((cell, index) => {
        const column = columns[index];
        this.pdf
          .fillColor('black')
          .text(cell, column.x, y + 4, { width: column.width, align: index === 0 ? 'left' : 'right' });
      });
      this.rule(y + height + 7);
    });
  }

  /** Writes the footer on every page once the content is laid out, with "page n of m". */
  footers(text: string, labels: InvoiceLabels): void {
    const range = this.pdf.bufferedPageRange();
    for (let index = range.start; index < range.start + range.count; index++) {
      this.pdf.switchToPage(index);
      // Writing below the bottom margin would otherwise make PDFKit open a new page.
      const bottom = this.pdf.page.margins.bottom;
      this.pdf.page.margins.bottom = 0;
      const y = PAGE_HEIGHT - MARGIN + 5;
      this.pdf.font('Helvetica').fontSize(8).fillColor(MUTED);
      this.pdf.text(clean(text), MARGIN, y, { width: CONTENT_WIDTH - 100, lineBreak: false });
      this.pdf.text(labels.page(index + 1, range.count), PAGE_WIDTH - MARGIN - 100, y, { width: 100, align: 'right' });
      this.pdf.page.margins.bottom = bottom;
    }
  }

  private rule(y: number): void {
    this.pdf
      .moveTo(MARGIN, y)
      .lineTo(PAGE_WIDTH - MARGIN, y)
      .lineWidth(0.5)
      .strokeColor(RULE)
      .stroke();
  }
}

interface Formatters {
  money: (cents: number) => string;
  integer: (value: number) => string;
  percent: (rate: number) => string;
  date: (isoDate: string) => string;
  period: (range: { start: string; end: string }) => string;
}

function isInvoiceLocale(locale: string | undefined): locale is InvoiceLocale {
  return locale !== undefined && Object.hasOwn(INVOICE_LABELS, locale);
}

function formatters(locale: string, currency: string): Formatters {
  const money = new Intl.NumberFormat(locale, { style: 'currency', currency });
  const integer = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
  const percent = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 2 });
  const date = new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' });
  const day = (isoDate: string): string => date.format(new Date(`${isoDate}T00:00:00Z`));
  return {
    // Formatted from the exact decimal string, never from a binary fraction of the cents.
    money: (cents) => clean(money.format(formatAmount(cents) as Intl.StringNumericLiteral)),
    integer: (value) => clean(integer.format(value)),
    percent: (rate) => clean(percent.format(rate / 100)),
    date: day,
    period: (range) => `${day(range.start)} – ${day(range.end)}`,
  };
}

/**
 * The standard PDF fonts are encoded in WinAnsi, which lacks the narrow no-break space that French
 * number formatting uses as group separator: it becomes an ordinary no-break space.
 */
function clean(text: string): string {
  return text.replace(/[\u202f\u2009]/g, '\u00a0');
}

function partyLines(party: BillingParty, labels: InvoiceLabels): string[] {
  return [
    ...party.address.lines,
    `${party.address.postalCode} ${party.address.city}`.trim(),
    party.address.countryCode === 'LU' ? '' : party.address.countryCode,
    party.vatId ? `${labels.vatId} ${party.vatId}` : '',
    party.companyId ? `${labels.companyId} ${party.companyId}` : '',
    party.contact?.email ?? '',
    party.contact?.phone ?? '',
  ]
    .map((line) => clean(line.trim()))
    .filter((line) => line !== '');
}

function vatText(category: string, rate: number, labels: InvoiceLabels, format: Formatters): string {
  const name = labels.categories[category as keyof InvoiceLabels['categories']] ?? category;
  return category === 'O' || category === 'E' ? name : `${name} ${format.percent(rate)}`;
}

/** "36 883 habitants × 365 jours" when the inhabitant-days divide by the line's days, as they should. */
function quantityText(line: BillingDocumentLine, labels: InvoiceLabels, format: Formatters): string {
  const days = Math.round((Date.parse(line.period.end) - Date.parse(line.period.start)) / 86_400_000) + 1;
  if (days > 0 && line.quantity % days === 0) {
    return labels.inhabitants(format.integer(line.quantity / days), format.integer(days));
  }
  return labels.inhabitantDays(format.integer(line.quantity));
}

function groupIban(iban: string): string {
  return iban
    .replace(/\s+/g, '')
    .replace(/(.{4})/g, '$1 ')
    .trim();
}

function collect(pdf: PDFKit.PDFDocument): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    pdf.on('data', (chunk: Buffer) => chunks.push(chunk));
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.on('error', reject);
  });
}
