import { luxembourgDate } from '@gemeng/core';
import { addWorkingDays, easterSunday, isWorkingDay, publicHolidays } from './working-days';

describe('working days in Luxembourg', () => {
  it('finds Easter Sunday for known years', () => {
    expect(easterSunday(2024)).toBe('2024-03-31');
    expect(easterSunday(2025)).toBe('2025-04-20');
    expect(easterSunday(2026)).toBe('2026-04-05');
    expect(easterSunday(2027)).toBe('2027-03-28');
    expect(easterSunday(2038)).toBe('2038-04-25');
  });

  it("lists 2026's eleven public holidays, movable feasts included", () => {
    expect([...publicHolidays(2026)].sort()).toEqual([
      '2026-01-01',
      '2026-04-06', // Easter Monday
      '2026-05-01',
      '2026-05-09', // Europe Day
      '2026-05-14', // Ascension Day
      '2026-05-25', // Whit Monday
      '2026-06-23',
      '2026-08-15',
      '2026-11-01',
      '2026-12-25',
      '2026-12-26',
    ]);
  });

  it('has no Europe Day before 2019, when it became a public holiday', () => {
    expect(publicHolidays(2018).has('2018-05-09')).toBe(false);
    expect(publicHolidays(2019).has('2019-05-09')).toBe(true);
  });

  it('counts weekdays that are not holidays', () => {
    expect(isWorkingDay('2026-11-23')).toBe(true); // a Monday
    expect(isWorkingDay('2026-11-21')).toBe(false); // a Saturday
    expect(isWorkingDay('2026-06-23')).toBe(false); // National Day, a Tuesday
  });

  it('adds working days across weekends and holidays', () => {
    expect(addWorkingDays('2026-11-20', 1)).toBe('2026-11-23'); // Friday + 1 = Monday
    expect(addWorkingDays('2026-11-23', 10)).toBe('2026-12-07');
    // Christmas and St Stephen's fall on Friday and Saturday in 2026.
    expect(addWorkingDays('2026-12-23', 2)).toBe('2026-12-28');
    // Received on Maundy Thursday: Good Friday is worked, Easter Monday is not.
    expect(addWorkingDays('2026-04-02', 2)).toBe('2026-04-07');
    // Received on a Saturday: Monday is the first working day.
    expect(addWorkingDays('2026-11-21', 1)).toBe('2026-11-23');
    expect(addWorkingDays('2026-12-31', 1)).toBe('2027-01-04');
    expect(addWorkingDays('2026-11-23', 0)).toBe('2026-11-23');
  });

  it('refuses a negative or fractional number of days', () => {
    expect(() => addWorkingDays('2026-11-23', -1)).toThrow(RangeError);
    expect(() => addWorkingDays('2026-11-23', 1.5)).toThrow(RangeError);
  });

  it("takes today's date in Luxembourg, not in UTC", () => {
    // 23:30 UTC on 31 December is already New Year's Day in Luxembourg (UTC+1 in winter).
    expect(luxembourgDate(new Date('2026-12-31T23:30:00Z'))).toBe('2027-01-01');
    // 22:30 UTC on 30 June is 00:30 on 1 July in summer time (UTC+2).
    expect(luxembourgDate(new Date('2026-06-30T22:30:00Z'))).toBe('2026-07-01');
  });
});
