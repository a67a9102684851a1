import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
// oidc-provider is an ES module without top-level await, so Node >= 20.19 loads it with require().
// Named imports only: the compiled require() returns the module namespace, which has no `__esModule`
// marker for a default import to be unwrapped by.
import {
  Provider,
  errors,
  type Account,
  type ClientMetadata,
  type Configuration,
  type Interaction,
  type KoaContextWithOIDC,
} from 'oidc-provider';
import { escapeHtml, htmlPage, loginPage, pageLocale, type HtmlPage } from './login-page';
import { parseOriginPattern, redirectUriMatches } from './redirect-uri-pattern';
import { signingKey } from './signing-key';

export interface DemoAccount {
  sub: string;
  email: string;
  name: string;
  password: string;
  locale?: 'lb' | 'fr' | 'de' | 'en';
}

export interface RelyingParty {
  clientId: string;
  clientSecret: string;
  /**
   * e.g. http://*.localhost:3000 — any host matching, with port. Several patterns may be given,
   * separated by spaces (a commune's custom domains next to the wildcard).
   */
  originPattern: string;
}

export interface IdentityProviderOptions {
  port: number;
  /** An http(s) origin without path, e.g. http://id.localhost:3001; it must name the port listened on. */
  issuer: string;
  accounts: DemoAccount[];
  clients: RelyingParty[];
  /** Keys that sign the provider's cookies, newest first; the first one also seeds the token signing key. */
  cookieKeys: string[];
  log?: (line: string) => void;
}

export interface RunningIdentityProvider {
  issuer: string;
  port: number;
  close(): Promise<void>;
}

/** Where each relying party receives the authorization response, on every host of its pattern. */
export const CALLBACK_PATH = '/auth/callback';
/** Where each relying party may ask to be sent back after logout. */
export const POST_LOGOUT_PATH = '/';

const SCOPES = ['openid', 'email', 'profile'];
const FORM_BODY_LIMIT = 8 * 1024;

/**
 * Starts a local OpenID Connect provider (authorization code flow, confidential clients) with the given
 * demo accounts, listening on 127.0.0.1. For development and tests only: it refuses to start with
 * NODE_ENV=production, keeps everything in memory and accepts documented demo passwords.
 *
 * With `port: 0` the system picks a free port and the returned `port` says which, but the issuer must
 * name the port it is reached on, so callers that need a working issuer pass an explicit free port.
 */
export async function startIdentityProvider(options: IdentityProviderOptions): Promise<RunningIdentityProvider> {
  if (process.env.NODE_ENV === 'production') {
    throw new Error(
      'the demo identity provider is for development and tests only and does not start with NODE_ENV=production; ' +
        'in production point OIDC_ISSUER at the real identity provider',
    );
  }
  const issuer = checkIssuer(options.issuer);
  if (options.cookieKeys.length === 0 || options.cookieKeys.some((key) => key.length < 16)) {
    throw new Error('cookieKeys needs at least one key, each of at least 16 characters');
  }
  const accounts = indexAccounts(options.accounts);
  const log = options.log ?? (() => undefined);

  const provider = new Provider(issuer, configuration(options, accounts));
  restrictRedirectUris(provider);
  provider.on('server_error', (_ctx: KoaContextWithOIDC, error: Error) => {
    console.error(`[gemeng-id] server error: ${error.stack ?? error.message}`);
  });

  const providerCallback = provider.callback();
  const interactions = interactionHandler(provider, accounts);
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const match = /^\/interaction\/([\w-]+)(\/login)?$/.exec(path);
    if (!match) {
      void providerCallback(req, res);
      return;
    }
    interactions(req, res, match[1], match[2] ? 'login' : 'show').catch((error: unknown) => {
      console.error(
        `[gemeng-id] interaction failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
      if (res.headersSent) {
        res.destroy();
        return;
      }
      send(res, 500, messagePage('en', 'Something went wrong', 'The sign-in could not be completed.'));
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  log(`issuer ${issuer} (listening on 127.0.0.1:${port})`);
  log(`${accounts.bySub.size} demo account(s), ${options.clients.length} client(s)`);

  return {
    issuer,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Browsers keep connections alive; the provider holds no state worth a graceful drain.
        server.closeAllConnections();
      }),
  };
}

function checkIssuer(issuer: string): string {
  const url = URL.parse(issuer);
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.pathname !== '/' || url.search) {
    throw new Error(`issuer must be an http(s) origin without path, got "${issuer}"`);
  }
  return url.origin;
}

interface AccountIndex {
  bySub: Map<string, DemoAccount>;
  byEmail: Map<string, DemoAccount>;
}

function indexAccounts(list: DemoAccount[]): AccountIndex {
  const bySub = new Map<string, DemoAccount>();
  const byEmail = new Map<string, DemoAccount>();
  for (const account of list) {
    const email = account.email.trim().toLowerCase();
    if (!account.sub || !email || !account.password) {
      throw new Error(`account "${account.email}" needs a sub, an email and a password`);
    }
    if (bySub.has(account.sub)) throw new Error(`two accounts share the sub "${account.sub}"`);
    if (byEmail.has(email)) throw new Error(`two accounts share the email "${email}"`);
    bySub.set(account.sub, account);
    byEmail.set(email, account);
  }
  return { bySub, byEmail };
}

function clientMetadata(client: RelyingParty): ClientMetadata {
  const origins = client.originPattern.trim().split(/\s+/).map(parseOriginPattern);
  return {
    client_id: client.clientId,
    client_secret: client.clientSecret,
    // Patterns, not URIs: restrictRedirectUris() matches against them and they are never redirected to
    // themselves (a `*` host is refused as a candidate and omitting redirect_uri is not allowed).
    redirect_uris: origins.map((origin) => `${origin}${CALLBACK_PATH}`),
    post_logout_redirect_uris: origins.map((origin) => `${origin}${POST_LOGOUT_PATH}`),
    grant_types: ['authorization_code'],
    response_types: ['code'],
    // client_secret_post is accepted as well: the provider takes either for a client registered with one.
    token_endpoint_auth_method: 'client_secret_basic',
    id_token_signed_response_alg: 'ES256',
  };
}

/**
 * The provider's Client model compares redirect URIs by exact string; these two methods are its
 * documented extension points (see the library's "redirect_uri_wildcards" recipe). The replacement
 * keeps exact comparison for registered URIs without `*`.
 */
function restrictRedirectUris(provider: Provider): void {
  provider.Client.prototype.redirectUriAllowed = function redirectUriAllowed(value: string): boolean {
    return this.redirectUris!.some((registered) => redirectUriMatches(registered, value));
  };
  provider.Client.prototype.postLogoutRedirectUriAllowed = function postLogoutRedirectUriAllowed(
    value: string,
  ): boolean {
    return (this.postLogoutRedirectUris ?? []).some((registered) => redirectUriMatches(registered, value));
  };
}

function configuration(options: IdentityProviderOptions, accounts: AccountIndex): Configuration {
  return {
    clients: options.clients.map(clientMetadata),
    clientDefaults: { id_token_signed_response_alg: 'ES256' },
    jwks: { keys: [signingKey(options.cookieKeys[0])] },
    cookies: { keys: options.cookieKeys },
    responseTypes: ['code'],
    clientAuthMethods: ['client_secret_basic', 'client_secret_post'],
    scopes: SCOPES,
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'locale'] },
    // The scopes' claims go into the ID token as well as to userinfo, so a relying party may read them
    // from either.
    conformIdTokenClaims: false,
    allowOmittingSingleRegisteredRedirectUri: false,
    // passport-openidconnect sends no code_challenge. A confidential client proves itself with its
    // secret at the token endpoint, so a stolen code is useless without it; public clients (none here)
    // would still need PKCE.
    pkce: { required: (_ctx, client) => client.clientAuthMethod === 'none' },
    findAccount: (_ctx, sub) => {
      const account = accounts.bySub.get(sub);
      return account ? accountClaims(account) : undefined;
    },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    features: {
      devInteractions: { enabled: false },
      // Authorization code flow with client secrets only; nothing else is advertised or accepted.
      pushedAuthorizationRequests: { enabled: false },
      dPoP: { enabled: false },
      rpInitiatedLogout: { enabled: true, logoutSource, postLogoutSuccessSource },
    },
    ttl: {
      AuthorizationCode: 60,
      AccessToken: 60 * 60,
      IdToken: 60 * 60,
      Interaction: 15 * 60,
      Session: 8 * 60 * 60,
      Grant: 8 * 60 * 60,
    },
    // The relying parties are servers; nothing calls the provider from a browser script.
    clientBasedCORS: () => false,
    renderError,
  };
}

/** What the provider may learn about an account: never the password. */
function accountClaims(account: DemoAccount): Account {
  return {
    accountId: account.sub,
    claims: () => ({
      sub: account.sub,
      email: account.email,
      email_verified: true,
      name: account.name,
      ...(account.locale ? { locale: account.locale } : {}),
    }),
  };
}

function sameSecret(given: string, expected: string): boolean {
  // Digests first: timingSafeEqual needs equal lengths, and comparing digests hides the length too.
  const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(expected));
}

type InteractionAction = 'show' | 'login';

function interactionHandler(provider: Provider, accounts: AccountIndex) {
  return async (req: IncomingMessage, res: ServerResponse, uid: string, action: InteractionAction) => {
    const details = await provider.interactionDetails(req, res).catch((error: unknown) => {
      if (error instanceof errors.SessionNotFound) return undefined;
      throw error;
    });
    const locale = pageLocale(details?.params.ui_locales, req.headers['accept-language']);
    if (!details || details.uid !== uid) {
      send(res, 400, messagePage(locale, 'Sign-in expired', 'This sign-in request has expired. Please start again.'));
      return;
    }
    if (details.prompt.name === 'consent') {
      await grantConsent(provider, req, res, details);
      return;
    }
    if (details.prompt.name !== 'login') {
      send(res, 400, messagePage(locale, 'Unsupported request', 'This sign-in step is not supported.'));
      return;
    }
    const formAction = `/interaction/${encodeURIComponent(uid)}/login`;
    if (action === 'show') {
      if (req.method !== 'GET' && req.method !== 'HEAD') return methodNotAllowed(res, 'GET, HEAD');
      send(res, 200, loginPage({ locale, action: formAction, email: stringParam(details.params.login_hint) }));
      return;
    }
    if (req.method !== 'POST') return methodNotAllowed(res, 'POST');
    const form = await readForm(req);
    if (typeof form === 'number') {
      send(res, form, messagePage(locale, 'Bad request', 'The form could not be read.'), { connection: 'close' });
      return;
    }
    const email = (form.get('email') ?? '').trim();
    const account = accounts.byEmail.get(email.toLowerCase());
    // Unknown addresses are compared too, so the answer takes as long either way.
    const passwordMatches = sameSecret(form.get('password') ?? '', account?.password ?? '\0unknown account');
    if (!account || !passwordMatches) {
      send(res, 401, loginPage({ locale, action: formAction, email, wrongCredentials: true }));
      return;
    }
    await provider.interactionFinished(
      req,
      res,
      { login: { accountId: account.sub } },
      { mergeWithLastSubmission: false },
    );
  };
}

/**
 * Every client is first-party, so consent is given without a page: a grant with exactly the scopes and
 * claims the prompt reports as missing.
 */
async function grantConsent(provider: Provider, req: IncomingMessage, res: ServerResponse, details: Interaction) {
  const { prompt, params, session } = details;
  const grant =
    (details.grantId ? await provider.Grant.find(details.grantId) : undefined) ??
    new provider.Grant({ accountId: session?.accountId, clientId: stringParam(params.client_id) });
  const missing = prompt.details as {
    missingOIDCScope?: string[];
    missingOIDCClaims?: string[];
    missingResourceScopes?: Record<string, string[]>;
  };
  if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
  if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
  for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes ?? {})) {
    grant.addResourceScope(indicator, scopes.join(' '));
  }
  const grantId = await grant.save();
  await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
}

function stringParam(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** The urlencoded form body, or the HTTP status to answer with when it cannot be read. */
function readForm(req: IncomingMessage): Promise<URLSearchParams | number> {
  const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') return Promise.resolve(415);
  if (Number(req.headers['content-length'] ?? 0) > FORM_BODY_LIMIT) return Promise.resolve(413);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > FORM_BODY_LIMIT) {
        req.removeAllListeners('data');
        resolve(413);
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(new URLSearchParams(Buffer.concat(chunks).toString('utf8'))));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, page: HtmlPage, headers: Record<string, string> = {}): void {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': page.csp,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    ...headers,
  });
  res.end(page.html);
}

function methodNotAllowed(res: ServerResponse, allow: string): void {
  send(res, 405, messagePage('en', 'Method not allowed', 'This address does not accept that method.'), { allow });
}

function messagePage(lang: string, title: string, message: string): HtmlPage {
  return htmlPage(lang, title, `<h1>${escapeHtml(title)}</h1>\n<p>${escapeHtml(message)}</p>`);
}

function render(ctx: KoaContextWithOIDC, page: HtmlPage): void {
  ctx.type = 'html';
  ctx.set('content-security-policy', page.csp);
  ctx.body = page.html;
}

/**
 * The platform sends the citizen here after ending its own session, so the provider's confirmation
 * form is submitted by the page itself (with `logout=yes`, which also ends the provider's session);
 * the button is only for browsers without scripts.
 */
function logoutSource(ctx: KoaContextWithOIDC, form: string): void {
  const autoForm = form.replace(
    '</form>',
    '<input type="hidden" name="logout" value="yes"/><noscript><button type="submit">Sign out</button></noscript></form>',
  );
  const script = "document.addEventListener('DOMContentLoaded',function(){document.forms[0].submit()});";
  render(ctx, htmlPage('en', 'Signing out', `<h1>Signing out…</h1>\n${autoForm}`, script));
}

function postLogoutSuccessSource(ctx: KoaContextWithOIDC): void {
  render(ctx, messagePage('en', 'Signed out', 'You are signed out.'));
}

function renderError(ctx: KoaContextWithOIDC, out: { error: string; error_description?: string }): void {
  const body = `<h1>Sign-in error</h1>\n<p><strong>${escapeHtml(out.error)}</strong></p>\n<p>${escapeHtml(out.error_description ?? '')}</p>`;
  render(ctx, htmlPage('en', 'Sign-in error', body));
}
