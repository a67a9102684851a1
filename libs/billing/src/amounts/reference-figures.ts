import type { InputProblem } from '@gemeng/core';
import type { VatTreatment } from './amounts';
import { rateInBasisPoints } from './amounts';

/**
 * Which population figure and which price an invoice uses. Both are taken at the reference date: the
 * first day the commune is billed for in the period (the period's first day, or the joining day for a
 * commune that joined within it). A figure or price that changes later in the period counts from the
 * next period.
 */

export interface PopulationFigure {
  referenceDate: string;
  inhabitants: number;
  source: string;
}

/** The latest figure on or before the date; null when there is none. */
export function populationAt<T extends PopulationFigure>(figures: readonly T[], date: string): T | null {
  let found: T | null = null;
  for (const figure of figures) {
    if (figure.referenceDate <= date && (!found || figure.referenceDate > found.referenceDate)) found = figure;
  }
  return found;
}

export interface DatedPrice {
  validFrom: string;
  centsPerInhabitantYear: number;
  vat: VatTreatment;
}

export type PriceOrigin = 'commune' | 'definition' | 'platform';

export interface PriceSources {
  /** Dated prices set for this commune. */
  commune: readonly DatedPrice[];
  /** Dated platform default prices. */
  platform: readonly DatedPrice[];
  /**
   * The price of the commune's definition (`pricePerInhabitant`), valid from its joining day. It uses the
   * platform default's VAT treatment at the date.
   */
  definition: { cents: number; validFrom: string } | null;
}

function latest(prices: readonly DatedPrice[], date: string): DatedPrice | null {
  let found: DatedPrice | null = null;
  for (const price of prices) {
    if (price.validFrom <= date && (!found || price.validFrom > found.validFrom)) found = price;
  }
  return found;
}

/**
 * The price valid at the date: the commune's latest dated price if there is one, else its definition's
 * price, else the platform default. A dated commune price takes precedence over the definition's
 * whatever their dates, so the operator's explicit, dated decision always wins. Null when no platform
 * default is valid yet.
 */
export function priceAt(sources: PriceSources, date: string): { price: DatedPrice; origin: PriceOrigin } | null {
  const platform = latest(sources.platform, date);
  const commune = latest(sources.commune, date);
  if (commune) return { price: commune, origin: 'commune' };
  if (!platform) return null;
  const definition = sources.definition;
  if (definition && definition.validFrom <= date) {
    return {
      price: { validFrom: definition.validFrom, centsPerInhabitantYear: definition.cents, vat: platform.vat },
      origin: 'definition',
    };
  }
  return { price: platform, origin: 'platform' };
}

/** Codes of the VATEX list that fit an exempt (E) supply: the exemptions of Directive 2006/112/EC. */
const EXEMPT_REASON = /^VATEX-EU-(79-C|132(-1[A-Q])?|143(-1[A-L])?|148(-[A-G])?|151(-1[A-E])?|309|D|F|I|J)$/;

/**
 * What is wrong with a VAT treatment, under the EN 16931 rules of its category: S has a positive rate
 * and no exemption (BR-S-05, BR-S-10); Z and E have rate 0 (BR-Z-05, BR-E-05); E needs an exemption
 * reason (BR-E-10) and Z must not have one (BR-Z-10); O has no rate and is VATEX-EU-O (BR-O-10).
 */
export function vatTreatmentProblems(vat: VatTreatment, path = 'vat'): InputProblem[] {
  const problems: InputProblem[] = [];
  const add = (field: string, message: string) => problems.push({ path: `${path}.${field}`, message });
  if (!['S', 'E', 'Z', 'O'].includes(vat.category)) {
    add('category', `"${String(vat.category)}" is not S (standard), E (exempt), Z (zero rated) or O (not subject)`);
    return problems;
  }
  try {
    rateInBasisPoints(vat.rate);
  } catch (error) {
    add('rate', (error as Error).message);
    return problems;
  }
  const code = vat.exemptionReasonCode?.trim();
  const text = vat.exemptionReason?.trim();
  if (vat.category === 'S') {
    if (vat.rate <= 0) add('rate', 'the standard category needs a rate above 0 (e.g. 17)');
    if (code || text) add('exemptionReasonCode', 'the standard category has no exemption reason');
  } else if (vat.rate !== 0) {
    add('rate', `category ${vat.category} has the rate 0`);
  }
  if (vat.category === 'Z' && (code || text)) add('exemptionReasonCode', 'the zero rate has no exemption reason');
  if (vat.category === 'E') {
    if (!code && !text) add('exemptionReasonCode', 'an exemption needs a VATEX reason code or a reason text');
    if (code && !EXEMPT_REASON.test(code)) add('exemptionReasonCode', `"${code}" is not a VATEX code of an exemption`);
  }
  if (vat.category === 'O' && code !== 'VATEX-EU-O') {
    add('exemptionReasonCode', 'a supply not subject to VAT has the reason code VATEX-EU-O');
  }
  if (text && text.length > 300) add('exemptionReason', 'is longer than 300 characters');
  return problems;
}
