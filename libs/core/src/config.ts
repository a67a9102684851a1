/**
 * Runtime configuration, read once from the environment. Every variable has a default that lets the
 * platform run on a fresh machine (embedded PostgreSQL, BullMQ on PostgreSQL, local mail files).
 */
export interface GemengConfig {
  /** Connection string of the application's login role; unset = embedded PostgreSQL under .data/. */
  databaseUrl: string | undefined;
  redisUrl: string | undefined;
  port: number;
  /** Communes answer on `<slug>.<baseDomain>`; the operator on `operator.<baseDomain>`. */
  baseDomain: string;
  /** URL scheme used when printing commune URLs. */
  publicScheme: 'http' | 'https';
  /** Size of the one connection pool shared by all communes. */
  poolSize: number;
  /**
   * A pooled connection is closed after this many uses. Each backend caches the catalog entries of every
   * schema it touched (about 15 KiB each, never evicted), so a backend holds at most
   * min(max uses, communes) x 15 KiB. A fresh backend meets every commune cold, so a low value costs
   * throughput when traffic is spread over many communes (measured: -28 % at 500 uses over 1,000
   * communes); the default keeps cold starts under one request in twenty at 1,000 communes.
   */
  poolMaxUses: number;
  /** Bearer token that unlocks the operator API for automation. */
  operatorToken: string | undefined;
  /** E-mail addresses (lowercased) that are the operator when they log in on the operator host. */
  operatorEmails: string[];
  /**
   * The OpenID provider. Unset: `npm start` starts the local development provider and points here.
   */
  oidc: { issuer: string | undefined; clientId: string; clientSecret: string };
  /** Signs session cookies; required in production. */
  sessionSecret: string;
  /** Where embedded PostgreSQL keeps its data. */
  dataDir: string;
  embeddedPostgresPort: number;
  tenantsDir: string;
  /** Communes migrated at once by `tenants migrate --all`. */
  migrationConcurrency: number;
  production: boolean;
}

function intFrom(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) {
    throw new Error(`${name} must be a positive whole number, got "${raw}"`);
  }
  return value;
}

function sessionSecret(env: NodeJS.ProcessEnv, production: boolean): string {
  const secret = env.SESSION_SECRET;
  if (secret) return secret;
  if (production) throw new Error('SESSION_SECRET must be set in production');
  // Development and tests only: a fixed secret keeps sessions across restarts of `npm start`.
  return 'gemeng-development-session-secret';
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): GemengConfig {
  const production = env.NODE_ENV === 'production';
  const scheme = env.PUBLIC_SCHEME ?? 'http';
  if (scheme !== 'http' && scheme !== 'https') {
    throw new Error(`PUBLIC_SCHEME must be http or https, got "${scheme}"`);
  }
  return {
    databaseUrl: env.DATABASE_URL || undefined,
    redisUrl: env.REDIS_URL || undefined,
    port: intFrom(env, 'PORT', 3000),
    baseDomain: (env.BASE_DOMAIN ?? 'localhost').toLowerCase(),
    publicScheme: scheme,
    poolSize: intFrom(env, 'DATABASE_POOL_SIZE', 10),
    poolMaxUses: intFrom(env, 'DATABASE_POOL_MAX_USES', 20_000),
    operatorToken: env.OPERATOR_TOKEN || undefined,
    operatorEmails: (env.OPERATOR_EMAILS ?? (production ? '' : 'operator@demo.gemeng.lu'))
      .split(',')
      .map((e) => e.trim().toLowerCase())
      .filter(Boolean),
    oidc: {
      issuer: env.OIDC_ISSUER || undefined,
      clientId: env.OIDC_CLIENT_ID ?? 'gemeng',
      clientSecret: env.OIDC_CLIENT_SECRET ?? (production ? '' : 'gemeng-dev-secret'),
    },
    sessionSecret: sessionSecret(env, production),
    dataDir: env.GEMENG_DATA_DIR ?? '.data',
    embeddedPostgresPort: intFrom(env, 'EMBEDDED_POSTGRES_PORT', 5433),
    tenantsDir: env.TENANTS_DIR ?? 'tenants',
    migrationConcurrency: intFrom(env, 'MIGRATION_CONCURRENCY', 4),
    production,
  };
}
