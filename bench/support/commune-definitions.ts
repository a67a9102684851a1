import { validateCommuneDefinition, type CommuneDefinition } from '@gemeng/communes';

export function benchSlug(n: number): string {
  return `bench-${String(n).padStart(4, '0')}`;
}

/**
 * The definition of bench commune number `n`: the shape of tenants/esch.yaml (four languages, a full
 * theme, contact block, population figures, three departments), so that onboarding and the commune
 * query do the same work as for a real commune. It goes through the same validation as a YAML file.
 */
export function benchCommuneDefinition(n: number): CommuneDefinition {
  const slug = benchSlug(n);
  return validateCommuneDefinition({
    slug,
    names: { lb: `Bänchgemeng ${n}`, fr: `Commune de banc ${n}`, de: `Testgemeinde ${n}`, en: `Bench commune ${n}` },
    locales: { enabled: ['lb', 'fr', 'de', 'en'], default: 'fr' },
    theme: {
      primaryColor: '#b5121b',
      secondaryColor: '#1f2a44',
      accentColor: '#0b5cad',
      logoUrl: `/assets/${slug}/logo.svg`,
      coatOfArmsUrl: `/assets/${slug}/coat-of-arms.svg`,
    },
    contact: {
      address: `${n} Place de l'Hôtel de Ville, L-4138 Bänchgemeng`,
      phone: '2754 2533',
      email: `info@${slug}.example.lu`,
      website: `https://${slug}.example.lu`,
      openingHours: [{ days: 'Mon-Fri', hours: '08:00-12:00, 13:30-16:30' }],
    },
    customDomains: [],
    joinedOn: '2025-01-01',
    population: [
      { referenceDate: '2025-01-01', inhabitants: 1000 + n, source: 'Benchmark data (not an official figure)' },
      { referenceDate: '2026-01-01', inhabitants: 1010 + n, source: 'Benchmark data (not an official figure)' },
    ],
    departments: [
      {
        code: 'population',
        names: { lb: 'Biergerzenter', fr: 'Bureau de la population', de: 'Bürgeramt', en: "Citizens' office" },
        email: `population@${slug}.example.lu`,
      },
      {
        code: 'technical',
        names: {
          lb: 'Technesche Service',
          fr: 'Service technique',
          de: 'Technischer Dienst',
          en: 'Technical services',
        },
      },
      { code: 'social', names: { lb: 'Sozialamt', fr: 'Office social', de: 'Sozialamt', en: 'Social office' } },
    ],
  });
}
