import type { EntityManager } from 'typeorm';

export const LOCALES = ['lb', 'fr', 'de', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/** What a request knows about the commune it is addressed to, taken from the host-resolution cache. */
export interface CommuneRef {
  id: string;
  slug: string;
  /** Deterministic from the slug: `t_<slug>`. */
  schema: string;
  role: string;
}

/**
 * The transaction a tenant request runs in. It is opened lazily, on the first service call that needs
 * tenant data, and closed once by whoever opened it.
 */
export interface TenantTransaction {
  readonly manager: EntityManager;
}

/** Who is logged in, as the OpenID provider said at login; the same on every commune. */
export interface SessionUser {
  subject: string;
  email: string;
  name: string;
  locale?: Locale;
}

export type Role = 'citizen' | 'agent' | 'admin' | 'operator';

/** Where a request came from, for the audit trail. */
export interface RequestOrigin {
  address?: string;
  userAgent?: string;
}

export interface RequestContextInit {
  commune?: CommuneRef;
  origin?: RequestOrigin;
  locale?: Locale;
  requestLong?: boolean;
  operator?: boolean;
  user?: SessionUser;
}

/**
 * Created once per request (or job, or command) and handed to every service call as its first
 * parameter. Never stored in a global: two requests for two communes run side by side.
 */
export class RequestContext {
  readonly commune: CommuneRef | undefined;
  readonly locale: Locale | undefined;
  /**
   * True for a request whose edge finishes the transaction (commit when the response is ready): every
   * service call of the request then shares one transaction.
   */
  readonly requestLong: boolean;
  /** True when the caller proved to be the operator, on the operator host. */
  readonly operator: boolean;
  /** The logged-in user, only when their session belongs to this host's commune. */
  readonly user: SessionUser | undefined;
  /** The client's address and user agent; empty for jobs and commands. */
  readonly origin: RequestOrigin;
  /** The user's roles in this commune, once looked up (see the identity context). */
  roles: Promise<Role[]> | undefined;
  /** Set by the tenant transaction runner while the request-long transaction of this context is open. */
  transaction: TenantTransaction | undefined;

  constructor(init: RequestContextInit) {
    this.commune = init.commune;
    this.locale = init.locale;
    this.requestLong = init.requestLong ?? false;
    this.operator = init.operator ?? false;
    this.user = init.user;
    this.origin = init.origin ?? {};
  }

  /** A context for a job or command working on one commune: each unit of work commits on its own. */
  static forCommune(commune: CommuneRef, locale?: Locale): RequestContext {
    return new RequestContext({ commune, locale });
  }

  /** The commune of this context; throws for operator and platform contexts. */
  requireCommune(): CommuneRef {
    if (!this.commune) {
      throw new Error('This operation needs a commune, and the request context has none');
    }
    return this.commune;
  }
}
