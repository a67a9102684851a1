import { luxembourgDate, type BillingSchedule } from '@gemeng/core';

/** Invoices are addressed to Luxembourg communes: periods begin and end on Luxembourg's calendar. */
export const BILLING_TIME_ZONE = 'Europe/Luxembourg';

/**
 * When the scheduled billing runs: 06:00 on the first day of each period, before anyone at the
 * operator or a commune starts work, so that the invoices are there when they do.
 */
export const BILLING_CRON: Record<Exclude<BillingSchedule, 'off'>, string> = {
  yearly: '0 6 1 1 *',
  quarterly: '0 6 1 1,4,7,10 *',
  monthly: '0 6 1 * *',
};

/**
 * The period that ended before the one `at` falls in (Luxembourg time), as the billing service names
 * it: `2026`, `2026-Q4` or `2026-12`. A run that starts late, days into the next period, still bills
 * the period that just ended.
 */
export function previousPeriod(schedule: Exclude<BillingSchedule, 'off'>, at: Date): string {
  const [year, month] = luxembourgDate(at).split('-').map(Number);
  if (schedule === 'yearly') return String(year - 1);
  if (schedule === 'quarterly') {
    const quarter = Math.ceil(month / 3);
    return quarter === 1 ? `${year - 1}-Q4` : `${year}-Q${quarter - 1}`;
  }
  return month === 1 ? `${year - 1}-12` : `${year}-${String(month - 1).padStart(2, '0')}`;
}
