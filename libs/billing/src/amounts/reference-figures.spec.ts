import { populationAt, priceAt, vatTreatmentProblems, type DatedPrice, type PriceSources } from './reference-figures';

const notSubject = { category: 'O' as const, rate: 0, exemptionReasonCode: 'VATEX-EU-O' };
const standard = { category: 'S' as const, rate: 17 };
const platform: DatedPrice[] = [
  { validFrom: '2000-01-01', centsPerInhabitantYear: 2000, vat: notSubject },
  { validFrom: '2027-01-01', centsPerInhabitantYear: 2100, vat: standard },
];
const sources = (changes: Partial<PriceSources> = {}): PriceSources => ({
  commune: [],
  platform,
  definition: null,
  ...changes,
});

describe('population at the reference date', () => {
  const figures = [
    { referenceDate: '2025-01-01', inhabitants: 36_883, source: 'STATEC' },
    { referenceDate: '2026-07-01', inhabitants: 38_000, source: 'register' },
    { referenceDate: '2026-01-01', inhabitants: 37_420, source: 'STATEC' },
  ];

  it('takes the latest figure on or before the date', () => {
    expect(populationAt(figures, '2026-01-01')?.inhabitants).toBe(37_420);
    expect(populationAt(figures, '2025-12-31')?.inhabitants).toBe(36_883);
    expect(populationAt(figures, '2026-07-01')?.inhabitants).toBe(38_000);
    expect(populationAt(figures, '2024-12-31')).toBeNull();
  });

  it('lets a change within the period count from the next period only', () => {
    // The year 2026 is billed on the figure of 1 January, whatever happens on 1 July.
    expect(populationAt(figures, '2026-01-01')).toMatchObject({ inhabitants: 37_420, source: 'STATEC' });
    expect(populationAt(figures, '2026-10-01')).toMatchObject({ inhabitants: 38_000, source: 'register' });
  });
});

describe('price at the reference date', () => {
  it('is the platform default when the commune has no price of its own', () => {
    expect(priceAt(sources(), '2026-01-01')).toEqual({ price: platform[0], origin: 'platform' });
    expect(priceAt(sources(), '2027-01-01')).toEqual({ price: platform[1], origin: 'platform' });
    expect(priceAt(sources({ platform: [] }), '2026-01-01')).toBeNull();
  });

  it("uses the definition's price from the joining day, with the default's VAT treatment", () => {
    const definition = { cents: 1850, validFrom: '2025-01-01' };
    expect(priceAt(sources({ definition }), '2026-01-01')).toEqual({
      price: { validFrom: '2025-01-01', centsPerInhabitantYear: 1850, vat: notSubject },
      origin: 'definition',
    });
    expect(priceAt(sources({ definition }), '2027-01-01')?.price.vat).toEqual(standard);
    expect(priceAt(sources({ definition }), '2024-12-31')?.origin).toBe('platform');
  });

  it('takes a dated override at the reference date: one that starts mid-year counts from the next period', () => {
    const commune: DatedPrice[] = [{ validFrom: '2026-07-01', centsPerInhabitantYear: 1800, vat: standard }];
    const definition = { cents: 1850, validFrom: '2025-01-01' };
    expect(priceAt(sources({ commune, definition }), '2026-01-01')).toMatchObject({
      origin: 'definition',
      price: { centsPerInhabitantYear: 1850 },
    });
    expect(priceAt(sources({ commune, definition }), '2026-07-01')).toMatchObject({
      origin: 'commune',
      price: { centsPerInhabitantYear: 1800, vat: standard },
    });
    expect(priceAt(sources({ commune }), '2026-06-30')?.price.centsPerInhabitantYear).toBe(2000);
  });

  it("lets a dated commune price win over the definition's, whatever their dates", () => {
    const commune: DatedPrice[] = [{ validFrom: '2020-01-01', centsPerInhabitantYear: 1700, vat: notSubject }];
    expect(
      priceAt(sources({ commune, definition: { cents: 1850, validFrom: '2025-01-01' } }), '2026-01-01'),
    ).toMatchObject({
      origin: 'commune',
      price: { centsPerInhabitantYear: 1700 },
    });
  });
});

describe('VAT treatments', () => {
  it('accepts what EN 16931 accepts', () => {
    expect(vatTreatmentProblems(standard)).toEqual([]);
    expect(vatTreatmentProblems({ category: 'S', rate: 3 })).toEqual([]);
    expect(vatTreatmentProblems({ category: 'Z', rate: 0 })).toEqual([]);
    expect(vatTreatmentProblems(notSubject)).toEqual([]);
    expect(vatTreatmentProblems({ category: 'E', rate: 0, exemptionReasonCode: 'VATEX-EU-132-1G' })).toEqual([]);
    expect(vatTreatmentProblems({ category: 'E', rate: 0, exemptionReason: 'Exempt, art. 44 LTVA' })).toEqual([]);
  });

  it.each([
    [{ category: 'S', rate: 0 }, 'vat.rate'],
    [{ category: 'S', rate: 17, exemptionReasonCode: 'VATEX-EU-O' }, 'vat.exemptionReasonCode'],
    [{ category: 'E', rate: 0 }, 'vat.exemptionReasonCode'],
    [{ category: 'E', rate: 17, exemptionReasonCode: 'VATEX-EU-132' }, 'vat.rate'],
    [{ category: 'E', rate: 0, exemptionReasonCode: 'VATEX-EU-O' }, 'vat.exemptionReasonCode'],
    [{ category: 'E', rate: 0, exemptionReasonCode: 'VATEX-EU-AE' }, 'vat.exemptionReasonCode'],
    [{ category: 'Z', rate: 0, exemptionReason: 'why' }, 'vat.exemptionReasonCode'],
    [{ category: 'O', rate: 0 }, 'vat.exemptionReasonCode'],
    [{ category: 'O', rate: 3, exemptionReasonCode: 'VATEX-EU-O' }, 'vat.rate'],
    [{ category: 'X', rate: 0 }, 'vat.category'],
    [{ category: 'S', rate: 17.005 }, 'vat.rate'],
  ])('refuses %j at %s', (vat, path) => {
    expect(vatTreatmentProblems(vat as never).map((p) => p.path)).toContain(path);
  });
});
