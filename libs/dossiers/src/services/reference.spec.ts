import { formatReference } from './reference';

describe('dossier references', () => {
  it('reads as slug, year and a six-digit number', () => {
    expect(formatReference('esch', 2026, 123)).toBe('ESCH-2026-000123');
    expect(formatReference('luxembourg-city', 2027, 1)).toBe('LUXEMBOURG-CITY-2027-000001');
  });

  it('grows past a million instead of wrapping', () => {
    expect(formatReference('esch', 2026, 1_000_000)).toBe('ESCH-2026-1000000');
  });
});
