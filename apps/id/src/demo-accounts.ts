import { createHash } from 'node:crypto';
import type { DemoAccount } from './identity-provider';

/** The password of every demo account; the provider refuses to run in production. */
export const DEMO_PASSWORD = 'gemeng-demo';
export const DEMO_EMAIL_DOMAIN = 'demo.gemeng.lu';

// A fixed namespace, so a demo account keeps its subject identifier across restarts and machines.
const SUBJECT_NAMESPACE = '5d0c4b7e-2a8f-4f3c-9b1e-6a7d2c9e0f41';

/** A name-based UUID (RFC 9562 version 5) of `name` in `namespace`. */
export function uuidV5(namespace: string, name: string): string {
  const bytes = createHash('sha1')
    .update(Buffer.from(namespace.replace(/-/g, ''), 'hex'))
    .update(name, 'utf8')
    .digest()
    .subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x50;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The stable subject identifier of the demo account with this email address. */
export function demoSubject(email: string): string {
  return uuidV5(SUBJECT_NAMESPACE, email.trim().toLowerCase());
}

const GIVEN_NAMES = [
  'Marie',
  'Jean',
  'Anne',
  'Luc',
  'Josée',
  'Claude',
  'Carole',
  'Nico',
  'Laura',
  'Pol',
  'Tessy',
  'Gilles',
];
const FAMILY_NAMES = [
  'Schmit',
  'Muller',
  'Weber',
  'Wagner',
  'Hoffmann',
  'Thill',
  'Kieffer',
  'Reding',
  'Faber',
  'Kremer',
];
const LOCALES = ['lb', 'fr', 'de', 'en'] as const;

// Picks from the lists by a hash of the email, so names and languages vary between communes and roles
// but never between runs.
function pick<T>(list: readonly T[], email: string, salt: string): T {
  return list[createHash('sha256').update(`${salt}:${email}`).digest().readUInt32BE(0) % list.length];
}

function account(email: string, name: string): DemoAccount {
  return { sub: demoSubject(email), email, name, password: DEMO_PASSWORD, locale: pick(LOCALES, email, 'locale') };
}

function personName(email: string): string {
  return `${pick(GIVEN_NAMES, email, 'given')} ${pick(FAMILY_NAMES, email, 'family')}`;
}

/**
 * The demo accounts for these communes: a citizen, an agent and an administrator per commune
 * (`citizen.<slug>@demo.gemeng.lu`, `agent.<slug>@...`, `admin.<slug>@...`) and one platform operator
 * (`operator@demo.gemeng.lu`), all with the password `gemeng-demo`.
 */
export function demoAccounts(slugs: string[]): DemoAccount[] {
  const unique = [...new Set(slugs.map((slug) => slug.trim().toLowerCase()).filter(Boolean))].sort();
  const accounts = unique.flatMap((slug) =>
    (['citizen', 'agent', 'admin'] as const).map((role) => {
      const email = `${role}.${slug}@${DEMO_EMAIL_DOMAIN}`;
      return account(email, personName(email));
    }),
  );
  accounts.push(account(`operator@${DEMO_EMAIL_DOMAIN}`, 'Platform Operator'));
  return accounts;
}
