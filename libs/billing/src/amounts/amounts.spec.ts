import {
  divideRoundHalfUp,
  invoiceAmounts,
  lineAmount,
  membershipInPeriod,
  rateInBasisPoints,
  vatAmount,
} from './amounts';
import { parseBillingPeriod } from './billing-period';

const year2026 = parseBillingPeriod('2026');
const year2028 = parseBillingPeriod('2028');
const notSubject = { category: 'O' as const, rate: 0 };
const standard = { category: 'S' as const, rate: 17 };

/** The invoice of a commune of `inhabitants` over `period`, at `priceCents` per inhabitant-year. */
function invoice(
  period: string,
  member: { joinedOn: string; leftOn?: string },
  inhabitants: number,
  priceCents: number,
  vat: { category: 'S' | 'E' | 'Z' | 'O'; rate: number } = notSubject,
) {
  const billing = parseBillingPeriod(period);
  const membership = membershipInPeriod(billing, member.joinedOn, member.leftOn ?? null);
  if (!membership) throw new Error('not a member in the period');
  return { membership, ...invoiceAmounts(billing, { inhabitants, billedDays: membership.days, priceCents }, vat) };
}

describe('rounding', () => {
  it('rounds half up, to the cent, and only once', () => {
    expect(divideRoundHalfUp(183n, 366n)).toBe(1n); // exactly 0.5
    expect(divideRoundHalfUp(182n, 366n)).toBe(0n);
    expect(divideRoundHalfUp(549n, 366n)).toBe(2n); // 1.5
    expect(divideRoundHalfUp(0n, 365n)).toBe(0n);
    expect(divideRoundHalfUp(730n, 365n)).toBe(2n);
  });

  it('never rounds a negative amount: amounts of credit notes are positive too', () => {
    expect(() => divideRoundHalfUp(-1n, 365n)).toThrow(RangeError);
    expect(() => divideRoundHalfUp(1n, 0n)).toThrow(RangeError);
  });

  it('computes exactly where a floating-point product would lose cents', () => {
    // 10 million inhabitants x 366 days x 999,999.99 EUR is far beyond 2^53 before the division.
    const line = lineAmount({ inhabitants: 10_000_000, billedDays: 366, priceCents: 99_999_999, daysInYear: 366 });
    expect(line.netCents).toBe(999_999_990_000_000);
    const odd = lineAmount({ inhabitants: 9_999_991, billedDays: 365, priceCents: 99_999_997, daysInYear: 366 });
    const exact = (9_999_991n * 365n * 99_999_997n * 2n + 366n) / 732n;
    expect(BigInt(odd.netCents)).toBe(exact);
  });

  it('refuses fractional or negative inputs rather than rounding them', () => {
    expect(() => lineAmount({ inhabitants: 1.5, billedDays: 1, priceCents: 2000, daysInYear: 365 })).toThrow(
      RangeError,
    );
    expect(() => lineAmount({ inhabitants: 1, billedDays: -1, priceCents: 2000, daysInYear: 365 })).toThrow(RangeError);
    expect(() => lineAmount({ inhabitants: 1, billedDays: 1, priceCents: 2000, daysInYear: 360 })).toThrow(RangeError);
  });
});

describe('golden amounts', () => {
  it('a full year: 30,500 inhabitants x 20.00 EUR = 610,000.00 EUR', () => {
    const full = invoice('2026', { joinedOn: '2020-01-01' }, 30_500, 2000);
    expect(full).toMatchObject({ quantity: 30_500 * 365, netCents: 61_000_000, taxCents: 0, totalCents: 61_000_000 });
    expect(full.membership).toEqual({ start: '2026-01-01', end: '2026-12-31', days: 365 });
  });

  it('a full leap year is the same price: 366 of 366 days', () => {
    const full = invoice('2028', { joinedOn: '2020-01-01' }, 30_500, 2000);
    expect(full).toMatchObject({ quantity: 30_500 * 366, daysInYear: 366, netCents: 61_000_000 });
  });

  it('joining on 31 December bills one day of the year', () => {
    expect(invoice('2026', { joinedOn: '2026-12-31' }, 30_500, 2000)).toMatchObject({
      membership: { start: '2026-12-31', end: '2026-12-31', days: 1 },
      quantity: 30_500,
      netCents: 167_123, // 30,500 x 2,000 / 365 = 167,123.29
    });
    expect(invoice('2028', { joinedOn: '2028-12-31' }, 30_500, 2000).netCents).toBe(166_667); // / 366 = 166,666.67
  });

  it('leaving mid-year bills up to the leaving day, included', () => {
    expect(invoice('2026', { joinedOn: '2020-01-01', leftOn: '2026-06-30' }, 30_500, 2000)).toMatchObject({
      membership: { start: '2026-01-01', end: '2026-06-30', days: 181 },
      netCents: 30_249_315, // 30,500 x 181 x 2,000 / 365 = 30,249,315.07
    });
    // The first half of a leap year has 182 days, divided by 366.
    expect(invoice('2028', { joinedOn: '2020-01-01', leftOn: '2028-06-30' }, 30_500, 2000).netCents).toBe(30_333_333);
  });

  it('joining and leaving within a quarter', () => {
    expect(invoice('2026-Q1', { joinedOn: '2026-02-01', leftOn: '2026-02-28' }, 1_000, 2000)).toMatchObject({
      membership: { days: 28 },
      netCents: 153_425, // 1,000 x 28 x 2,000 / 365 = 153,424.66
    });
  });

  it('a commune that was no member in the period is not billed', () => {
    expect(membershipInPeriod(year2026, '2027-01-01', null)).toBeNull();
    expect(membershipInPeriod(year2026, '2020-01-01', '2025-12-31')).toBeNull();
    expect(membershipInPeriod(year2028, '2028-03-01', '2028-03-01')).toEqual({
      start: '2028-03-01',
      end: '2028-03-01',
      days: 1,
    });
  });

  it('a quarter and a month are the days they have, of the year', () => {
    expect(invoice('2026-Q1', { joinedOn: '2020-01-01' }, 30_500, 2000)).toMatchObject({
      membership: { days: 90 },
      netCents: 15_041_096, // 30,500 x 90 x 2,000 / 365 = 15,041,095.89
    });
    expect(invoice('2028-02', { joinedOn: '2020-01-01' }, 30_500, 2000)).toMatchObject({
      membership: { days: 29 },
      netCents: 4_833_333, // 30,500 x 29 x 2,000 / 366 = 4,833,333.33
    });
  });

  it('a per-commune price of 18.50 EUR', () => {
    expect(invoice('2026', { joinedOn: '2020-01-01' }, 136_208, 1850).totalCents).toBe(251_984_800);
  });

  it('standard VAT of 17 % on the document total, rounded half up', () => {
    expect(invoice('2026', { joinedOn: '2020-01-01' }, 30_500, 2000, standard)).toMatchObject({
      netCents: 61_000_000,
      taxCents: 10_370_000,
      totalCents: 71_370_000,
    });
    // 167,123 x 17 % = 28,410.91
    expect(invoice('2026', { joinedOn: '2026-12-31' }, 30_500, 2000, standard)).toMatchObject({
      taxCents: 28_411,
      totalCents: 195_534,
    });
    expect(vatAmount(50, standard)).toBe(9); // 8.5 rounds up
    expect(vatAmount(150, { category: 'S', rate: 3 })).toBe(5); // 4.5
    expect(vatAmount(1_000, { category: 'S', rate: 16.5 })).toBe(165);
  });

  it('no VAT for an exempt, zero-rated or not-subject supply', () => {
    for (const category of ['E', 'Z', 'O'] as const) {
      expect(invoice('2026', { joinedOn: '2020-01-01' }, 30_500, 2000, { category, rate: 0 })).toMatchObject({
        taxCents: 0,
        totalCents: 61_000_000,
      });
    }
  });

  it('reads VAT rates as exact hundredths of a percent', () => {
    expect(rateInBasisPoints(17)).toBe(1700);
    expect(rateInBasisPoints(16.5)).toBe(1650);
    expect(rateInBasisPoints(0.07 * 100)).toBe(700);
    expect(() => rateInBasisPoints(17.001)).toThrow(RangeError);
    expect(() => rateInBasisPoints(-1)).toThrow(RangeError);
  });
});
