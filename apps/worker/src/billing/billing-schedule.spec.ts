import { previousPeriod } from './billing-schedule';

describe('previousPeriod', () => {
  it.each([
    ['yearly', '2027-01-01T05:00:00Z', '2026'],
    ['yearly', '2027-06-15T12:00:00Z', '2026'],
    ['quarterly', '2027-01-01T05:00:00Z', '2026-Q4'],
    ['quarterly', '2027-04-01T04:00:00Z', '2027-Q1'],
    ['quarterly', '2027-10-03T09:00:00Z', '2027-Q3'],
    ['monthly', '2027-01-01T05:00:00Z', '2026-12'],
    ['monthly', '2027-03-01T05:00:00Z', '2027-02'],
    ['monthly', '2027-11-01T05:00:00Z', '2027-10'],
  ] as const)('%s at %s bills %s', (schedule, at, period) => {
    expect(previousPeriod(schedule, new Date(at))).toBe(period);
  });

  it("counts on Luxembourg's calendar: 23:30 UTC on 31 December is already the new year there", () => {
    expect(previousPeriod('yearly', new Date('2026-12-31T23:30:00Z'))).toBe('2026');
    expect(previousPeriod('monthly', new Date('2027-02-28T23:30:00Z'))).toBe('2027-02');
    expect(previousPeriod('monthly', new Date('2027-02-28T22:30:00Z'))).toBe('2027-01');
  });
});
