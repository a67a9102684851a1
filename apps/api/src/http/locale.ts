import type { Locale } from '@gemeng/core';
import type { CommuneSnapshot } from '@gemeng/communes';

/**
 * The first language of an Accept-Language header that the commune offers, by the header's q-values;
 * the commune's default language otherwise.
 */
export function negotiateLocale(
  header: string | undefined,
  commune: Pick<CommuneSnapshot, 'enabledLocales' | 'defaultLocale'>,
): Locale {
  if (!header) return commune.defaultLocale;
  const ranked = header
    .split(',')
    .map((part, index) => {
      const [tag, ...params] = part.trim().toLowerCase().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      const weight = q ? Number(q.slice(2)) : 1;
      return { language: tag.split('-')[0], weight: Number.isFinite(weight) ? weight : 0, index };
    })
    .filter((entry) => entry.weight > 0)
    .sort((a, b) => b.weight - a.weight || a.index - b.index);
  for (const { language } of ranked) {
    const match = commune.enabledLocales.find((l) => l === language);
    if (match) return match;
  }
  return commune.defaultLocale;
}
