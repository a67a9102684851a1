/**
 * Working days in Luxembourg: Monday to Friday, except the legal public holidays (Code du travail,
 * art. L. 232-2): New Year's Day, Easter Monday, 1 May, Europe Day (9 May, since 2019), Ascension Day,
 * Whit Monday, the National Day (23 June), Assumption Day (15 August), All Saints' Day, Christmas Day
 * and St Stephen's Day. Dates are calendar dates (`YYYY-MM-DD`) with no time zone of their own.
 */

const DAY_MS = 24 * 60 * 60 * 1000;

function utcDate(iso: string): Date {
  return new Date(`${iso}T00:00:00Z`);
}

function isoOf(date: Date): string {
  return date.toISOString().slice(0, 10);
}

function plusDays(iso: string, days: number): string {
  return isoOf(new Date(utcDate(iso).getTime() + days * DAY_MS));
}

/** Easter Sunday of a Gregorian year (the anonymous Gregorian algorithm, "Meeus/Jones/Butcher"). */
export function easterSunday(year: number): string {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

const holidayCache = new Map<number, Set<string>>();

/** Luxembourg's legal public holidays of a year. */
export function publicHolidays(year: number): Set<string> {
  let holidays = holidayCache.get(year);
  if (!holidays) {
    const easter = easterSunday(year);
    const fixed = ['01-01', '05-01', '06-23', '08-15', '11-01', '12-25', '12-26'];
    if (year >= 2019) fixed.push('05-09');
    holidays = new Set([
      ...fixed.map((monthDay) => `${year}-${monthDay}`),
      plusDays(easter, 1),
      plusDays(easter, 39),
      plusDays(easter, 50),
    ]);
    holidayCache.set(year, holidays);
  }
  return holidays;
}

export function isWorkingDay(iso: string): boolean {
  const weekday = utcDate(iso).getUTCDay();
  if (weekday === 0 || weekday === 6) return false;
  return !publicHolidays(Number(iso.slice(0, 4))).has(iso);
}

/**
 * The date `days` working days after `from`: a request received on a Friday with a norm of one working
 * day is due on Monday; one received on a Saturday or a holiday starts counting at the next working day
 * just the same, since that day does not count either.
 */
export function addWorkingDays(from: string, days: number): string {
  if (!Number.isInteger(days) || days < 0) throw new RangeError(`days must be a whole number >= 0, got ${days}`);
  let date = from;
  let left = days;
  while (left > 0) {
    date = plusDays(date, 1);
    if (isWorkingDay(date)) left--;
  }
  return date;
}
