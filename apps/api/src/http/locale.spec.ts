import { negotiateLocale } from './locale';

const commune = { enabledLocales: ['lb', 'fr', 'de'] as const, defaultLocale: 'lb' as const };

describe('negotiateLocale', () => {
  it('falls back to the commune default without a header', () => {
    expect(negotiateLocale(undefined, { ...commune, enabledLocales: [...commune.enabledLocales] })).toBe('lb');
  });

  it('takes the highest-weighted language the commune offers', () => {
    const c = { ...commune, enabledLocales: [...commune.enabledLocales] };
    expect(negotiateLocale('en-GB,en;q=0.9,fr;q=0.8,de;q=0.7', c)).toBe('fr');
    expect(negotiateLocale('de;q=0.5, fr;q=0.6', c)).toBe('fr');
    expect(negotiateLocale('fr-LU', c)).toBe('fr');
  });

  it('ignores languages refused with q=0 and the ones the commune does not offer', () => {
    const c = { ...commune, enabledLocales: [...commune.enabledLocales] };
    expect(negotiateLocale('fr;q=0, en', c)).toBe('lb');
  });
});
