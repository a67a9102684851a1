/** A postal address as an e-invoice needs it: street lines, postcode, town, country. */
export interface PostalAddress {
  lines: string[];
  postalCode: string;
  city: string;
  /** ISO 3166-1 alpha-2. */
  countryCode: string;
}

/** "<street>, L-4138 Esch-sur-Alzette": Luxembourg's postcodes are four digits, written with "L-". */
const LUXEMBOURG_ADDRESS = /^(.*\S)\s*,\s*L-(\d{4})\s+(\S.*)$/i;

/**
 * Reads postcode and town from a contact address written the Luxembourg way, e.g. "Place de l'Hôtel de
 * Ville, L-4138 Esch-sur-Alzette". Null for any other shape: the commune's definition then gives its
 * billing address field by field.
 */
export function parseLuxembourgAddress(address: string): PostalAddress | null {
  const match = LUXEMBOURG_ADDRESS.exec(address.trim());
  if (!match) return null;
  return { lines: [match[1].trim()], postalCode: match[2], city: match[3].trim(), countryCode: 'LU' };
}
