import {
  issuedTotalCents,
  type BillingRunResult,
  type InvoiceSummary,
  type OverviewRow,
  type PriceSetting,
} from '../services/billing.service';
import { overviewTotals } from './billing-overview';
import type {
  BillingOverviewType,
  BillingPriceType,
  BillingRunType,
  InvoiceKindValue,
  InvoiceStatusValue,
  InvoiceType,
  VatCategoryValue,
} from './billing.types';
import { formatAmount } from '../documents/ubl.renderer';

/** Where an issued document is downloaded, on the host that lists it (see apps/api's invoices routes). */
export function invoiceDownloadPath(id: string, format: 'pdf' | 'xml'): string {
  return `/invoices/${encodeURIComponent(id)}.${format}`;
}

export function toInvoiceType(invoice: InvoiceSummary): InvoiceType {
  const downloadable = invoice.number !== null;
  return {
    id: invoice.id,
    kind: invoice.kind as InvoiceKindValue,
    number: invoice.number ?? undefined,
    status: invoice.status as InvoiceStatusValue,
    commune: invoice.communeSlug,
    period: { ...invoice.period },
    issueDate: invoice.issueDate ?? undefined,
    dueDate: invoice.dueDate ?? undefined,
    inhabitants: invoice.inhabitants,
    pricePerInhabitant: formatAmount(invoice.priceCents),
    net: formatAmount(invoice.netCents),
    tax: formatAmount(invoice.taxCents),
    total: formatAmount(invoice.totalCents),
    currency: 'EUR',
    paidOn: invoice.paidOn ?? undefined,
    paymentReference: invoice.paymentReference ?? undefined,
    relatedInvoiceId: invoice.relatedInvoiceId ?? undefined,
    pdfUrl: downloadable ? invoiceDownloadPath(invoice.id, 'pdf') : undefined,
    xmlUrl: downloadable ? invoiceDownloadPath(invoice.id, 'xml') : undefined,
  };
}

export function toBillingRunType(result: BillingRunResult): BillingRunType {
  return {
    period: { ...result.period },
    preview: result.preview,
    invoices: result.invoices.map(toInvoiceType),
    alreadyInvoiced: result.alreadyInvoiced.map(toInvoiceType),
    skipped: result.skipped.map((s) => ({ commune: s.communeSlug, reason: s.reason })),
    total: formatAmount(issuedTotalCents(result)),
  };
}

export function toBillingPriceType(setting: PriceSetting): BillingPriceType {
  return {
    commune: setting.communeSlug ?? undefined,
    validFrom: setting.validFrom,
    pricePerInhabitant: formatAmount(setting.centsPerInhabitantYear),
    vatCategory: setting.vat.category as VatCategoryValue,
    vatRate: String(setting.vat.rate),
    exemptionReasonCode: setting.vat.exemptionReasonCode,
    exemptionReason: setting.vat.exemptionReason,
  };
}

export function toBillingOverviewType(year: number, rows: OverviewRow[]): BillingOverviewType {
  const totals = overviewTotals(rows);
  return {
    year,
    rows: rows.map((row) => ({
      commune: row.communeSlug,
      communeName: row.communeName,
      period: { ...row.period },
      inhabitants: row.inhabitants,
      pricePerInhabitant: formatAmount(row.priceCents),
      invoiced: formatAmount(row.invoicedCents),
      paid: formatAmount(row.paidCents),
      outstanding: formatAmount(row.invoicedCents - row.paidCents),
    })),
    invoiced: formatAmount(totals.invoicedCents),
    paid: formatAmount(totals.paidCents),
    outstanding: formatAmount(totals.outstandingCents),
    csvUrl: `/billing/overview.csv?year=${year}`,
  };
}
