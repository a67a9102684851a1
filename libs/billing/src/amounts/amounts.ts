import type { VatCategory } from '../documents/billing-document';
import type { BillingPeriod } from './billing-period';
import { periodYear } from './billing-period';
import { daysInclusive, earlierOf, laterOf } from './calendar';

/**
 * The amounts of an invoice, in integer cents with exact integer arithmetic (BigInt where a product
 * can exceed 2^53). The one rounding rule: round half up, applied once per amount, to the final cent.
 */

export interface VatTreatment {
  category: VatCategory;
  /** Percent, at most two decimals. */
  rate: number;
  /** VATEX code and text, required for E and O. */
  exemptionReasonCode?: string;
  exemptionReason?: string;
}

/** `numerator / denominator` rounded half up, for a non-negative numerator and a positive denominator. */
export function divideRoundHalfUp(numerator: bigint, denominator: bigint): bigint {
  if (numerator < 0n || denominator <= 0n) throw new RangeError('Amounts are never negative');
  return (numerator * 2n + denominator) / (denominator * 2n);
}

/** A VAT rate in hundredths of a percent (17 -> 1700), refusing anything finer. */
export function rateInBasisPoints(rate: number): number {
  const points = Math.round(rate * 100);
  if (!Number.isFinite(rate) || rate < 0 || rate > 100 || Math.abs(rate * 100 - points) > 1e-6) {
    throw new RangeError(`A VAT rate is a percentage between 0 and 100 with at most two decimals, got ${rate}`);
  }
  return points;
}

/** The part of a period a commune was a member: from `joinedOn` to `leftOn`, both included. */
export function membershipInPeriod(
  period: BillingPeriod,
  joinedOn: string,
  leftOn: string | null,
): { start: string; end: string; days: number } | null {
  const start = laterOf(period.start, joinedOn);
  const end = leftOn ? earlierOf(period.end, leftOn) : period.end;
  const days = daysInclusive(start, end);
  return days > 0 ? { start, end, days } : null;
}

export interface LineAmountInput {
  inhabitants: number;
  billedDays: number;
  /** Price per inhabitant per year. */
  priceCents: number;
  /** 365 or 366: the days of the period's year. */
  daysInYear: number;
}

/**
 * The invoice line: quantity = inhabitants x billed days (inhabitant-days), and
 * net = round half up (quantity x price / days in year). For a whole year the division is exact.
 */
export function lineAmount(input: LineAmountInput): { quantity: number; netCents: number } {
  for (const [name, value] of Object.entries(input)) {
    if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${name} must be a whole number, got ${value}`);
  }
  if (input.daysInYear !== 365 && input.daysInYear !== 366) throw new RangeError('A year has 365 or 366 days');
  const quantity = BigInt(input.inhabitants) * BigInt(input.billedDays);
  const net = divideRoundHalfUp(quantity * BigInt(input.priceCents), BigInt(input.daysInYear));
  return { quantity: Number(quantity), netCents: Number(net) };
}

/**
 * VAT of one category, on the document-level taxable amount of that category (EN 16931 BR-CO-17:
 * tax = taxable x rate / 100, rounded to the cent). Categories other than S carry no tax.
 */
export function vatAmount(taxableCents: number, vat: Pick<VatTreatment, 'category' | 'rate'>): number {
  if (vat.category !== 'S') return 0;
  return Number(divideRoundHalfUp(BigInt(taxableCents) * BigInt(rateInBasisPoints(vat.rate)), 10_000n));
}

export interface InvoiceAmounts {
  quantity: number;
  netCents: number;
  taxCents: number;
  totalCents: number;
}

/** Everything an invoice of one line adds up to. */
export function invoiceAmounts(
  period: BillingPeriod,
  input: Omit<LineAmountInput, 'daysInYear'>,
  vat: Pick<VatTreatment, 'category' | 'rate'>,
): InvoiceAmounts & { daysInYear: number } {
  const { days } = periodYear(period);
  const line = lineAmount({ ...input, daysInYear: days });
  const taxCents = vatAmount(line.netCents, vat);
  return { ...line, taxCents, totalCents: line.netCents + taxCents, daysInYear: days };
}
