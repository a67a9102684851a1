import { InvalidInputError } from '@gemeng/core';
import { addDays, daysInYear } from './calendar';

/** A billing period: a year (`2026`), a quarter (`2026-Q2`) or a month (`2026-03`). */
export interface BillingPeriod {
  label: string;
  /** First and last day, inclusive, `YYYY-MM-DD`. */
  start: string;
  end: string;
}

const YEAR = /^(\d{4})$/;
const QUARTER = /^(\d{4})-Q([1-4])$/;
const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

function monthStart(year: number, month: number): string {
  return `${year}-${String(month).padStart(2, '0')}-01`;
}

/** The last day of the `count` months that start with `month`. */
function monthsEnd(year: number, month: number, count: number): string {
  const next = month + count;
  return addDays(next > 12 ? `${year + 1}-01-01` : monthStart(year, next), -1);
}

/**
 * Parses `2026`, `2026-Q2` or `2026-03` (years 2000 to 2999). A period never spans two calendar years,
 * so the days of its year (365 or 366) are the base of every pro-rata amount in it.
 */
export function parseBillingPeriod(label: string): BillingPeriod {
  const text = typeof label === 'string' ? label.trim().toUpperCase() : '';
  let period: BillingPeriod | undefined;
  let match: RegExpExecArray | null;
  if ((match = YEAR.exec(text))) {
    const year = Number(match[1]);
    period = { label: text, start: `${year}-01-01`, end: `${year}-12-31` };
  } else if ((match = QUARTER.exec(text))) {
    const year = Number(match[1]);
    const first = (Number(match[2]) - 1) * 3 + 1;
    period = { label: text, start: monthStart(year, first), end: monthsEnd(year, first, 3) };
  } else if ((match = MONTH.exec(text))) {
    const year = Number(match[1]);
    const month = Number(match[2]);
    period = { label: text, start: monthStart(year, month), end: monthsEnd(year, month, 1) };
  }
  const year = period ? Number(period.start.slice(0, 4)) : 0;
  if (!period || year < 2000 || year > 2999) {
    throw new InvalidInputError('The billing period is invalid', [
      {
        path: 'period',
        message: `"${String(label)}" is not a year (2026), a quarter (2026-Q2) or a month (2026-03) between 2000 and 2999`,
      },
    ]);
  }
  return period;
}

/** The year of a period, and so of the base of its pro-rata amounts. */
export function periodYear(period: BillingPeriod): { year: number; days: 365 | 366 } {
  const year = Number(period.start.slice(0, 4));
  return { year, days: daysInYear(year) };
}
