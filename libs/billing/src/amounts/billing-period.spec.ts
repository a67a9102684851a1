import { InvalidInputError } from '@gemeng/core';
import { parseBillingPeriod, periodYear } from './billing-period';
import { addDays, daysInclusive, daysInYear, isIsoDate } from './calendar';

describe('billing periods', () => {
  it.each([
    ['2026', '2026-01-01', '2026-12-31'],
    ['2026-Q1', '2026-01-01', '2026-03-31'],
    ['2026-Q2', '2026-04-01', '2026-06-30'],
    ['2026-Q3', '2026-07-01', '2026-09-30'],
    ['2026-Q4', '2026-10-01', '2026-12-31'],
    ['2026-02', '2026-02-01', '2026-02-28'],
    ['2028-02', '2028-02-01', '2028-02-29'],
    ['2026-12', '2026-12-01', '2026-12-31'],
    ['2026-q2', '2026-04-01', '2026-06-30'],
  ])('%s runs from %s to %s', (label, start, end) => {
    expect(parseBillingPeriod(label)).toEqual({ label: label.toUpperCase(), start, end });
  });

  it.each(['', '26', '2026-13', '2026-00', '2026-Q5', '2026-Q0', '2026-1', '1999', '3000', '2026-01-01', ' 2026 x'])(
    'refuses "%s" with a clear message',
    (label) => {
      expect(() => parseBillingPeriod(label)).toThrow(InvalidInputError);
      try {
        parseBillingPeriod(label);
      } catch (error) {
        expect((error as InvalidInputError).problems[0]).toMatchObject({
          path: 'period',
          message: expect.stringContaining('a quarter (2026-Q2)'),
        });
      }
    },
  );

  it('knows the days of its year', () => {
    expect(periodYear(parseBillingPeriod('2026-Q1'))).toEqual({ year: 2026, days: 365 });
    expect(periodYear(parseBillingPeriod('2028-07'))).toEqual({ year: 2028, days: 366 });
    expect([2000, 2024, 2100, 2400].map(daysInYear)).toEqual([366, 366, 365, 366]);
  });
});

describe('calendar days', () => {
  it('counts days inclusively, across month ends and leap days', () => {
    expect(daysInclusive('2026-01-01', '2026-12-31')).toBe(365);
    expect(daysInclusive('2028-02-28', '2028-03-01')).toBe(3);
    expect(daysInclusive('2026-03-29', '2026-03-30')).toBe(2); // the night clocks change
    expect(daysInclusive('2026-05-02', '2026-05-01')).toBe(0);
    expect(addDays('2026-01-15', 30)).toBe('2026-02-14');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
  });

  it('accepts only real dates', () => {
    expect(isIsoDate('2028-02-29')).toBe(true);
    expect(['2026-02-29', '2026-2-01', '2026-04-31', 20260101, null, '2026-01-01T00:00'].some(isIsoDate)).toBe(false);
  });
});
