/**
 * A dossier's reference as citizens quote it on the phone: the commune's slug in capitals, the year
 * and a six-digit number that restarts at 1 each year (ESCH-2026-000123). Past 999,999 in a year the
 * number simply grows longer rather than wrapping.
 */
export function formatReference(slug: string, year: number, number: number): string {
  return `${slug.toUpperCase()}-${year}-${String(number).padStart(6, '0')}`;
}
