/**
 * The calendar date (`YYYY-MM-DD`) of an instant in Luxembourg, where the communes are, whatever the
 * server's time zone: today's by default.
 */
export function luxembourgDate(at: Date = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Europe/Luxembourg',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(at);
}
