import type { OverviewRow } from '../services/billing.service';
import { formatAmount } from '../documents/ubl.renderer';

export interface OverviewTotals {
  invoicedCents: number;
  paidCents: number;
  outstandingCents: number;
}

/** What was invoiced, paid and is still to be paid over the rows of an overview. */
export function overviewTotals(rows: OverviewRow[]): OverviewTotals {
  const invoicedCents = rows.reduce((sum, row) => sum + row.invoicedCents, 0);
  const paidCents = rows.reduce((sum, row) => sum + row.paidCents, 0);
  return { invoicedCents, paidCents, outstandingCents: invoicedCents - paidCents };
}

export const OVERVIEW_CSV_HEADER = [
  'commune',
  'name',
  'period',
  'start',
  'end',
  'inhabitants',
  'price_per_inhabitant',
  'invoiced',
  'paid',
  'outstanding',
];

/** RFC 4180: a field holding a comma, a quote or a line break is quoted, its quotes doubled. */
function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/**
 * The operator's billing overview as CSV (RFC 4180, CRLF line ends): a header row, one row per
 * commune and period, and a last row `total` with the sums. Amounts are EUR as decimal strings with a
 * dot, whatever the spreadsheet's locale, so that no figure is read as a date or rounded.
 */
export function overviewCsv(rows: OverviewRow[]): string {
  const totals = overviewTotals(rows);
  const lines = [
    OVERVIEW_CSV_HEADER,
    ...rows.map((row) => [
      row.communeSlug,
      row.communeName,
      row.period.label,
      row.period.start,
      row.period.end,
      String(row.inhabitants),
      formatAmount(row.priceCents),
      formatAmount(row.invoicedCents),
      formatAmount(row.paidCents),
      formatAmount(row.invoicedCents - row.paidCents),
    ]),
    [
      'total',
      '',
      '',
      '',
      '',
      '',
      '',
      formatAmount(totals.invoicedCents),
      formatAmount(totals.paidCents),
      formatAmount(totals.outstandingCents),
    ],
  ];
  return lines.map((fields) => fields.map(csvField).join(',')).join('\r\n') + '\r\n';
}
