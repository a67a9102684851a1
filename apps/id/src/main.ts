import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { demoAccounts } from './demo-accounts';
import { startIdentityProvider, type DemoAccount, type RelyingParty } from './identity-provider';

const log = (line: string): void => console.log(`[gemeng-id] ${line}`);

// A fixed default keeps sessions' cookies and the derived token signing key stable across restarts;
// it protects nothing, and needs to protect nothing, on a provider whose passwords are documented.
export const DEV_COOKIE_KEY = 'gemeng-id-development-cookie-key';

function portFrom(env: NodeJS.ProcessEnv): number {
  const raw = env.PORT_ID ?? '3001';
  const port = Number(raw);
  // No 0 for "any port": the issuer has to name the port before the provider listens.
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`PORT_ID must be a port number from 1 to 65535, got "${raw}"`);
  }
  return port;
}

function jsonFrom<T>(env: NodeJS.ProcessEnv, name: string, check: (value: unknown) => value is T): T | undefined {
  const raw = env[name];
  if (!raw) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (error) {
    throw new Error(`${name} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  }
  if (!check(value)) throw new Error(`${name} does not have the expected shape (see docs/identity-provider.md)`);
  return value;
}

const isStringRecord = (value: unknown, keys: string[]): value is Record<string, string> =>
  typeof value === 'object' &&
  value !== null &&
  keys.every((key) => typeof (value as Record<string, unknown>)[key] === 'string');

const isClients = (value: unknown): value is RelyingParty[] =>
  Array.isArray(value) && value.every((item) => isStringRecord(item, ['clientId', 'clientSecret', 'originPattern']));

const isAccounts = (value: unknown): value is DemoAccount[] =>
  Array.isArray(value) && value.every((item) => isStringRecord(item, ['sub', 'email', 'name', 'password']));

/** The slugs of the commune definitions in `dir`, read the way the platform reads them. */
export async function communeSlugs(dir: string): Promise<string[]> {
  let files: string[];
  try {
    files = (await readdir(dir)).filter((file) => /\.ya?ml$/.test(file)).sort();
  } catch (error) {
    log(`no commune definitions in ${dir} (${error instanceof Error ? error.message : String(error)})`);
    return [];
  }
  const slugs: string[] = [];
  for (const file of files) {
    const document: unknown = parse(await readFile(join(dir, file), 'utf8'));
    const slug = (document as { slug?: unknown } | null)?.slug;
    if (typeof slug === 'string' && slug) slugs.push(slug);
    else log(`${file} has no slug; skipped`);
  }
  return slugs;
}

async function main(): Promise<void> {
  const env = process.env;
  const port = portFrom(env);
  // localhost rather than id.localhost: the platform's server-side calls use Node, which resolves
  // localhost but not its subdomains.
  const issuer = env.ID_ISSUER || `http://localhost:${port}`;
  const clients = jsonFrom(env, 'ID_CLIENTS', isClients) ?? [
    {
      clientId: 'gemeng',
      clientSecret: env.OIDC_CLIENT_SECRET || 'gemeng-dev-secret',
      originPattern: 'http://*.localhost:3000',
    },
  ];
  const accounts =
    jsonFrom(env, 'ID_ACCOUNTS', isAccounts) ?? demoAccounts(await communeSlugs(env.TENANTS_DIR ?? 'tenants'));
  const cookieKeys = (env.ID_COOKIE_KEYS ?? DEV_COOKIE_KEY)
    .split(',')
    .map((key) => key.trim())
    .filter(Boolean);

  const provider = await startIdentityProvider({ port, issuer, accounts, clients, cookieKeys, log });
  for (const client of clients) log(`client ${client.clientId}: ${client.originPattern}`);
  // Test harnesses wait for this exact line.
  console.log(`ready ${provider.issuer}`);

  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: closing`);
    provider.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(`[gemeng-id] unclean shutdown: ${error instanceof Error ? error.message : String(error)}`);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

// Run as a process of its own; imported (by the API's development start) it only lends its helpers.
if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(`[gemeng-id] could not start: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
