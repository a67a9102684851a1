import type { Locale } from './request-context';

/** A text in some of the platform's languages. */
export type LocalizedText = Partial<Record<Locale, string>>;

/**
 * The text in `locale` if it has one, else in `fallback` (the commune's default language), else in any
 * language it has: a name is never left blank because one translation is missing.
 */
export function textIn(text: LocalizedText, locale: Locale | undefined, fallback: Locale): string {
  return (locale && text[locale]) || text[fallback] || Object.values(text).find(Boolean) || '';
}
