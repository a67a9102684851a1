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
  /** Port of the public URLs (links in e-mails); 80 and 443 are left out of them. */
  publicPort: number;
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
  /** Uploaded documents: the largest file accepted, and where the bytes go (see docs/documents.md). */
  documents: { maxUploadBytes: number; dir: string; s3: S3Settings | undefined };
  /** Outgoing e-mail: over SMTP when `smtpUrl` is set, otherwise as .eml files under `dir`. */
  mail: { smtpUrl: string | undefined; from: string; dir: string };
  /**
   * The notification pipeline: how often the relay sweeps every commune's outbox for rows it missed,
   * and how a job is retried (exponential backoff from `backoffMs`) before it is recorded as failed.
   */
  notifications: { sweepSeconds: number; attempts: number; backoffMs: number; concurrency: number };
  /**
   * BullMQ: key prefix on Redis (unset: derived from the database's name, see the worker), and how long
   * a job's lock lasts and how often expired locks are looked for, which bounds how soon the job of a
   * killed worker runs again.
   */
  queue: { prefix: string | undefined; lockMs: number; stalledIntervalMs: number };
  production: boolean;
}

/** An S3-compatible bucket for documents; without credentials, the SDK's default chain (instance role). */
export interface S3Settings {
  bucket: string;
  endpoint: string | undefined;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string } | undefined;
  forcePathStyle: boolean;
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

function s3From(env: NodeJS.ProcessEnv): S3Settings | undefined {
  if (!env.S3_BUCKET) return undefined;
  const accessKeyId = env.S3_ACCESS_KEY_ID || undefined;
  const secretAccessKey = env.S3_SECRET_ACCESS_KEY || undefined;
  if (Boolean(accessKeyId) !== Boolean(secretAccessKey)) {
    throw new Error('S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY must be set together');
  }
  const pathStyle = env.S3_FORCE_PATH_STYLE ?? 'false';
  if (pathStyle !== 'true' && pathStyle !== 'false') {
    throw new Error(`S3_FORCE_PATH_STYLE must be true or false, got "${pathStyle}"`);
  }
  return {
    bucket: env.S3_BUCKET,
    endpoint: env.S3_ENDPOINT || undefined,
    region: env.S3_REGION || 'us-east-1',
    credentials: accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey } : undefined,
    forcePathStyle: pathStyle === 'true',
  };
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
  const port = intFrom(env, 'PORT', 3000);
  const baseDomain = (env.BASE_DOMAIN ?? 'localhost').toLowerCase();
  const dataDir = env.GEMENG_DATA_DIR ?? '.data';
  return {
    databaseUrl: env.DATABASE_URL || undefined,
    redisUrl: env.REDIS_URL || undefined,
    port,
    baseDomain,
    publicScheme: scheme,
    // Behind TLS the public port is 443 whatever the API listens on; in development, the API's own.
    publicPort: intFrom(env, 'PUBLIC_PORT', scheme === 'https' ? 443 : port),
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
    dataDir,
    embeddedPostgresPort: intFrom(env, 'EMBEDDED_POSTGRES_PORT', 5433),
    tenantsDir: env.TENANTS_DIR ?? 'tenants',
    migrationConcurrency: intFrom(env, 'MIGRATION_CONCURRENCY', 4),
    documents: {
      maxUploadBytes: intFrom(env, 'MAX_UPLOAD_BYTES', 10 * 1024 * 1024),
      dir: env.DOCUMENTS_DIR || `${dataDir}/documents`,
      s3: s3From(env),
    },
    mail: {
      smtpUrl: env.SMTP_URL || undefined,
      from: env.MAIL_FROM || `Gemeng <no-reply@${baseDomain}>`,
      dir: env.MAIL_DIR || `${dataDir}/mail`,
    },
    notifications: {
      sweepSeconds: intFrom(env, 'OUTBOX_SWEEP_SECONDS', 30),
      attempts: intFrom(env, 'NOTIFICATION_ATTEMPTS', 8),
      backoffMs: intFrom(env, 'NOTIFICATION_BACKOFF_MS', 30_000),
      concurrency: intFrom(env, 'NOTIFICATION_CONCURRENCY', 4),
    },
    queue: {
      prefix: env.QUEUE_PREFIX || undefined,
      lockMs: intFrom(env, 'QUEUE_LOCK_MS', 30_000),
      stalledIntervalMs: intFrom(env, 'QUEUE_STALLED_INTERVAL_MS', 30_000),
    },
    production,
  };
}
