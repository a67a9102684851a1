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
  /**
   * When the worker bills communes on its own: at the start of each year, quarter or month, for the
   * period that just ended (see docs/billing.md); `off` leaves billing to the operator.
   */
  billingSchedule: BillingSchedule;
  /** The operator as seller on its invoices, and how communes pay it (see docs/billing.md). */
  billing: BillingSettings;
  production: boolean;
}

/** The seller's details and payment terms that every invoice is issued with. */
export interface BillingSettings {
  seller: {
    name: string;
    addressLines: string[];
    postalCode: string;
    city: string;
    /** ISO 3166-1 alpha-2. */
    countryCode: string;
    vatId: string | undefined;
    companyId: string | undefined;
    /** Peppol electronic address: EAS scheme (e.g. 9938, Luxembourg VAT number) and identifier. */
    endpoint: { scheme: string; id: string };
    email: string | undefined;
  };
  iban: string;
  bic: string | undefined;
  /** Days between an invoice's issue and due dates. */
  paymentDays: number;
  currency: 'EUR';
  /**
   * Variables that production must set and did not (the development defaults describe a demo seller):
   * billing runs are refused while any is missing, the rest of the platform works on.
   */
  missing: string[];
}

export const BILLING_SCHEDULES = ['yearly', 'quarterly', 'monthly', 'off'] as const;
export type BillingSchedule = (typeof BILLING_SCHEDULES)[number];

function billingScheduleFrom(env: NodeJS.ProcessEnv): BillingSchedule {
  const raw = env.BILLING_SCHEDULE || 'yearly';
  if (!(BILLING_SCHEDULES as readonly string[]).includes(raw)) {
    throw new Error(`BILLING_SCHEDULE must be one of ${BILLING_SCHEDULES.join(', ')}, got "${raw}"`);
  }
  return raw as BillingSchedule;
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

/** ISO 13616 check digits: the IBAN, rearranged and read as a number, is 1 modulo 97. */
function isIban(value: string): boolean {
  if (!/^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$/.test(value)) return false;
  const digits = (value.slice(4) + value.slice(0, 4)).replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55));
  return BigInt(digits) % 97n === 1n;
}

const BILLING_REQUIRED = [
  'BILLING_SELLER_NAME',
  'BILLING_SELLER_ADDRESS',
  'BILLING_SELLER_POSTCODE',
  'BILLING_SELLER_CITY',
  'BILLING_SELLER_ENDPOINT',
  'BILLING_IBAN',
];

function billingFrom(env: NodeJS.ProcessEnv, production: boolean): BillingSettings {
  // Development and tests: a demo seller, so that invoices can be issued and rendered on a fresh machine.
  const value = (name: string, demo: string) => env[name]?.trim() || (production ? '' : demo);
  const endpoint = value('BILLING_SELLER_ENDPOINT', '9938:LU12345613');
  const endpointMatch = /^([0-9]{4}):(\S{1,100})$/.exec(endpoint);
  if (endpoint && !endpointMatch) {
    throw new Error(`BILLING_SELLER_ENDPOINT must be scheme:identifier (e.g. 9938:LU12345678), got "${endpoint}"`);
  }
  const iban = value('BILLING_IBAN', 'LU280019400644750000').replace(/\s/g, '').toUpperCase();
  if (iban && !isIban(iban)) throw new Error(`BILLING_IBAN is not a valid IBAN: "${env.BILLING_IBAN}"`);
  const bic = value('BILLING_BIC', 'DEMOLULL').toUpperCase() || undefined;
  if (bic && !/^[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?$/.test(bic)) throw new Error(`BILLING_BIC is not a BIC: "${bic}"`);
  const countryCode = (env.BILLING_SELLER_COUNTRY || 'LU').toUpperCase();
  if (!/^[A-Z]{2}$/.test(countryCode)) {
    throw new Error(`BILLING_SELLER_COUNTRY must be an ISO 3166 country code, got "${countryCode}"`);
  }
  const vatId = value('BILLING_SELLER_VAT_ID', 'LU12345613').toUpperCase() || undefined;
  if (vatId && !/^[A-Z]{2}[0-9A-Z+*.]{2,13}$/.test(vatId)) {
    throw new Error(`BILLING_SELLER_VAT_ID must be a VAT number with its country prefix, got "${vatId}"`);
  }
  const currency = env.BILLING_CURRENCY || 'EUR';
  if (currency !== 'EUR') throw new Error(`BILLING_CURRENCY must be EUR, got "${currency}"`);
  const paymentDays = intFrom(env, 'BILLING_PAYMENT_DAYS', 30);
  if (paymentDays > 365) throw new Error(`BILLING_PAYMENT_DAYS must be at most 365, got ${paymentDays}`);
  return {
    seller: {
      name: value('BILLING_SELLER_NAME', 'Gemeng intercommunal syndicate (demo)'),
      addressLines: value('BILLING_SELLER_ADDRESS', '1, rue de la Démo')
        .split(';')
        .map((line) => line.trim())
        .filter(Boolean),
      postalCode: value('BILLING_SELLER_POSTCODE', '4362'),
      city: value('BILLING_SELLER_CITY', 'Esch-sur-Alzette'),
      countryCode,
      vatId,
      companyId: value('BILLING_SELLER_COMPANY_ID', 'DEMO-SYNDICATE-0001') || undefined,
      endpoint: { scheme: endpointMatch?.[1] ?? '', id: endpointMatch?.[2] ?? '' },
      email: value('BILLING_SELLER_EMAIL', 'billing@demo.gemeng.lu') || undefined,
    },
    iban,
    bic,
    paymentDays,
    currency,
    missing: production ? BILLING_REQUIRED.filter((name) => !env[name]?.trim()) : [],
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
    billingSchedule: billingScheduleFrom(env),
    billing: billingFrom(env, production),
    production,
  };
}
