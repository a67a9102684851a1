import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { parseDocument } from 'yaml';
import {
  InvalidInputError,
  isLocale,
  validationProblems,
  type InputProblem,
  type Locale,
  type LocalizedText,
} from '@gemeng/core';
import { slugProblem } from '@gemeng/database';
import type { BillingDetailsValue, ContactValue, ThemeValue } from '../entities/commune.entity';
import { themeContrastProblems } from '../theme/contrast';
import { CommuneDefinitionInput, ISO_DATE, type BillingDetailsInput } from './commune-definition.input';
import { parseLuxembourgAddress } from './postal-address';

export interface DepartmentDefinition {
  code: string;
  names: LocalizedText;
  email?: string;
}

/** A service of the catalogue that the commune offers from its onboarding. */
export interface DossierTypeDefinition {
  serviceType: string;
  department: string;
  /** The catalogue's service norm when absent. */
  normDays?: number;
}

/** A validated commune definition with every default applied. */
export interface CommuneDefinition {
  slug: string;
  names: LocalizedText;
  enabledLocales: Locale[];
  defaultLocale: Locale;
  theme: ThemeValue;
  contact: ContactValue;
  customDomains: string[];
  joinedOn: string;
  pricePerInhabitantCents: number | null;
  population: { referenceDate: string; inhabitants: number; source: string }[];
  /** Null: no billing details yet (the commune cannot be invoiced). */
  billing: BillingDetailsValue | null;
  departments: DepartmentDefinition[];
  dossierTypes: DossierTypeDefinition[];
  /** Lowercased e-mail addresses. */
  administrators: string[];
  agents: { email: string; departments: string[] }[];
}

function isRealDate(iso: string): boolean {
  const date = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === iso;
}

function priceInCents(price: string): number {
  const [euros, cents = ''] = price.split('.');
  return Number(euros) * 100 + Number(cents.padEnd(2, '0'));
}

const array = <T>(value: T[] | undefined): T[] => (Array.isArray(value) ? value : []);

function billingDetails(input: BillingDetailsInput | undefined): BillingDetailsValue | null {
  if (!input) return null;
  const { name, endpoint, buyerReference, vatId, address } = input;
  return {
    ...(name ? { name: name.trim() } : {}),
    ...(endpoint ? { endpoint } : {}),
    ...(buyerReference ? { buyerReference: buyerReference.trim() } : {}),
    ...(vatId ? { vatId } : {}),
    ...(address
      ? {
          address: {
            lines: address.lines.map((line) => line.trim()),
            postalCode: address.postalCode.trim(),
            city: address.city.trim(),
            countryCode: address.countryCode ?? 'LU',
          },
        }
      : {}),
  };
}

/**
 * Problems that need more than one field to see. Runs on input that may also have field problems, so
 * that a file is reported whole; every check skips what is missing or malformed.
 */
function crossFieldProblems(input: CommuneDefinitionInput): InputProblem[] {
  const problems: InputProblem[] = [];
  if (typeof input.slug === 'string') {
    const slug = slugProblem(input.slug);
    if (slug) problems.push({ path: 'slug', message: slug });
  }
  const enabledList = array(input.locales?.enabled);
  const enabled = new Set(enabledList);
  const defaultLocale = input.locales?.default;
  if (enabled.size !== enabledList.length)
    problems.push({ path: 'locales.enabled', message: 'lists a language twice' });
  if (isLocale(defaultLocale) && enabled.size && !enabled.has(defaultLocale)) {
    problems.push({ path: 'locales.default', message: `"${defaultLocale}" is not one of the enabled languages` });
  }
  for (const locale of enabled) {
    if (isLocale(locale) && input.names && !input.names[locale]) {
      problems.push({
        path: `names.${locale}`,
        message: `the commune needs a name in every enabled language (${locale})`,
      });
    }
  }
  const departments = array(input.departments);
  departments.forEach((department, i) => {
    if (isLocale(defaultLocale) && department?.names && !department.names[defaultLocale]) {
      problems.push({
        path: `departments.${i}.names.${defaultLocale}`,
        message: 'a department needs a name in the default language',
      });
    }
  });
  const codes = departments.map((d) => d?.code);
  codes.forEach((code, i) => {
    if (code && codes.indexOf(code) !== i)
      problems.push({ path: `departments.${i}.code`, message: `"${code}" is used twice` });
  });
  const domains = array(input.customDomains);
  domains.forEach((host, i) => {
    if (domains.indexOf(host) !== i)
      problems.push({ path: `customDomains.${i}`, message: `"${host}" is listed twice` });
  });
  if (typeof input.joinedOn === 'string' && ISO_DATE.test(input.joinedOn) && !isRealDate(input.joinedOn)) {
    problems.push({ path: 'joinedOn', message: `${input.joinedOn} is not a date` });
  }
  const dates = array(input.population).map((p) => p?.referenceDate);
  dates.forEach((date, i) => {
    if (typeof date !== 'string' || !ISO_DATE.test(date)) return;
    if (!isRealDate(date)) problems.push({ path: `population.${i}.referenceDate`, message: `${date} is not a date` });
    else if (dates.indexOf(date) !== i)
      problems.push({ path: `population.${i}.referenceDate`, message: `two figures for ${date}` });
  });
  const known = new Set(codes);
  array(input.agents).forEach((agent, i) => {
    array(agent?.departments).forEach((code, j) => {
      if (typeof code === 'string' && !known.has(code)) {
        problems.push({
          path: `agents.${i}.departments.${j}`,
          message: `"${code}" is not one of the commune's departments`,
        });
      }
    });
  });
  const services = array(input.dossierTypes).map((t) => t?.serviceType);
  array(input.dossierTypes).forEach((type, i) => {
    if (typeof type?.department === 'string' && !known.has(type.department)) {
      problems.push({
        path: `dossierTypes.${i}.department`,
        message: `"${type.department}" is not one of the commune's departments`,
      });
    }
    if (type?.serviceType && services.indexOf(type.serviceType) !== i) {
      problems.push({ path: `dossierTypes.${i}.serviceType`, message: `"${type.serviceType}" is listed twice` });
    }
  });
  if (input.theme && typeof input.theme === 'object') problems.push(...themeContrastProblems(theme(input)));
  const address = input.contact?.address;
  if (input.billing && !input.billing.address && typeof address === 'string' && !parseLuxembourgAddress(address)) {
    problems.push({
      path: 'billing.address',
      message: `the contact address "${address}" does not end with "L-1234 <town>": give the billing address's lines, postalCode and city`,
    });
  }
  return problems;
}

/** Lowercases a colour; leaves anything else for the field validation to report. */
const color = (value: unknown, fallback: string): string =>
  typeof value === 'string' ? value.toLowerCase() : fallback;

function theme(input: CommuneDefinitionInput): ThemeValue {
  const t = input.theme;
  return {
    primaryColor: color(t.primaryColor, ''),
    onPrimaryColor: color(t.onPrimaryColor, '#ffffff'),
    secondaryColor: color(t.secondaryColor, ''),
    onSecondaryColor: color(t.onSecondaryColor, '#ffffff'),
    accentColor: color(t.accentColor, ''),
    textColor: color(t.textColor, '#1a1a1a'),
    backgroundColor: color(t.backgroundColor, '#ffffff'),
    ...(t.logoUrl ? { logoUrl: t.logoUrl } : {}),
    ...(t.coatOfArmsUrl ? { coatOfArmsUrl: t.coatOfArmsUrl } : {}),
  };
}

function names(input: { lb?: string; fr?: string; de?: string; en?: string }): LocalizedText {
  return Object.fromEntries(Object.entries(input).filter(([, v]) => typeof v === 'string')) as LocalizedText;
}

/**
 * Validates a commune definition, from YAML or GraphQL, and applies defaults. Every problem is reported
 * at once, addressed by its path, so that a file can be fixed in one go.
 */
export function validateCommuneDefinition(plain: unknown): CommuneDefinition {
  if (typeof plain !== 'object' || plain === null || Array.isArray(plain)) {
    throw new InvalidInputError('A commune definition must be a mapping of settings');
  }
  const input = plainToInstance(CommuneDefinitionInput, plain);
  const problems = [
    ...validationProblems(validateSync(input, { whitelist: true, forbidNonWhitelisted: true })),
    ...crossFieldProblems(input),
  ];
  if (problems.length) throw new InvalidInputError('The commune definition is invalid', problems);
  return {
    slug: input.slug,
    names: names(input.names),
    enabledLocales: input.locales.enabled,
    defaultLocale: input.locales.default,
    theme: theme(input),
    contact: {
      address: input.contact.address,
      phone: input.contact.phone,
      email: input.contact.email,
      ...(input.contact.website ? { website: input.contact.website } : {}),
      openingHours: (input.contact.openingHours ?? []).map((o) => ({ days: o.days, hours: o.hours })),
    },
    customDomains: input.customDomains ?? [],
    joinedOn: input.joinedOn,
    pricePerInhabitantCents: input.pricePerInhabitant === undefined ? null : priceInCents(input.pricePerInhabitant),
    population: (input.population ?? []).map((p) => ({ ...p })),
    billing: billingDetails(input.billing),
    departments: (input.departments ?? []).map((d) => ({
      code: d.code,
      names: names(d.names),
      ...(d.email ? { email: d.email } : {}),
    })),
    dossierTypes: (input.dossierTypes ?? []).map((t) => ({
      serviceType: t.serviceType,
      department: t.department,
      ...(t.normDays !== undefined && t.normDays !== null ? { normDays: t.normDays } : {}),
    })),
    administrators: (input.administrators ?? []).map((email) => email.toLowerCase()),
    agents: (input.agents ?? []).map((a) => ({ email: a.email.toLowerCase(), departments: a.departments })),
  };
}

/** YAML numbers that the definition holds as text (a price of 20.50, a phone number of digits). */
function textualise(plain: Record<string, unknown>): Record<string, unknown> {
  const out = { ...plain };
  if (typeof out.pricePerInhabitant === 'number') out.pricePerInhabitant = out.pricePerInhabitant.toFixed(2);
  if (out.contact && typeof out.contact === 'object') {
    const contact = { ...(out.contact as Record<string, unknown>) };
    if (typeof contact.phone === 'number') contact.phone = String(contact.phone);
    out.contact = contact;
  }
  return out;
}

/** Parses and validates a commune's YAML file; `source` names the file in error messages. */
export function parseCommuneYaml(text: string, source: string): CommuneDefinition {
  const document = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (document.errors.length) {
    throw new InvalidInputError(
      `${source} is not valid YAML`,
      document.errors.map((e) => ({
        path: `line ${(e.linePos?.[0].line ?? 0) || '?'}`,
        message: e.message.split('\n')[0],
      })),
    );
  }
  const plain: unknown = document.toJS();
  if (typeof plain !== 'object' || plain === null || Array.isArray(plain)) {
    throw new InvalidInputError(`${source} must be a mapping of settings (slug, names, locales, theme, contact, ...)`);
  }
  try {
    return validateCommuneDefinition(textualise(plain as Record<string, unknown>));
  } catch (error) {
    if (error instanceof InvalidInputError) throw new InvalidInputError(`${source} is invalid`, error.problems);
    throw error;
  }
}
