import { spawn, type ChildProcess } from 'node:child_process';
import { createPublicKey, randomBytes, verify, type JsonWebKey } from 'node:crypto';
import { existsSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { dirname, join } from 'node:path';
import { freePort } from '@gemeng/database';

// The provider is an ES module that jest cannot load, so this suite runs the built one (`npm run build`)
// as a child process and speaks HTTP to it like a browser and a relying party would.

const CLIENT_ID = 'gemeng-test';
const CLIENT_SECRET = 'e2e-secret-with-enough-length';
const CITIZEN = 'citizen.esch@demo.gemeng.lu';
const PASSWORD = 'gemeng-demo';

function repositoryRoot(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('package.json not found above the test');
    dir = parent;
  }
  return dir;
}

interface RunningProcess {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function runProvider(env: NodeJS.ProcessEnv): RunningProcess {
  const root = repositoryRoot();
  const main = join(root, 'dist/apps/id/src/main.js');
  if (!existsSync(main)) throw new Error(`${main} is missing; run npm run build first`);
  const child = spawn(process.execPath, [main], { cwd: root, env: { ...process.env, ...env } });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function waitForLine(run: RunningProcess, line: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!run.output().split('\n').includes(line)) {
    if (run.child.exitCode !== null) throw new Error(`provider exited early:\n${run.output()}`);
    if (Date.now() > deadline) throw new Error(`provider not ready after ${timeoutMs} ms:\n${run.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Cookies by name, as a browser would keep them for the provider's one host. */
class CookieJar {
  private readonly cookies = new Map<string, string>();

  store(setCookie: string[] | undefined): void {
    for (const header of setCookie ?? []) {
      const [pair, ...attributes] = header.split(';');
      const name = pair.slice(0, pair.indexOf('=')).trim();
      const value = pair.slice(pair.indexOf('=') + 1).trim();
      const expired = attributes.some((attribute) => {
        const [key, val] = attribute.trim().split('=');
        if (key.toLowerCase() === 'max-age') return Number(val) <= 0;
        if (key.toLowerCase() === 'expires') return Date.parse(val) <= Date.now();
        return false;
      });
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }
}

interface Reply {
  status: number;
  location: string | undefined;
  body: string;
  json<T = Record<string, unknown>>(): T;
}

interface RequestOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
}

/**
 * One HTTP exchange with the provider, the way a browser on this machine makes it: connected to
 * 127.0.0.1 (Node does not resolve *.localhost, browsers do) with the URL's own Host header. fetch()
 * cannot be used for this: it replaces the Host header with the address it connects to.
 */
function send(
  port: number,
  url: URL,
  options: RequestOptions,
  cookies: string,
): Promise<Reply & { setCookie?: string[] }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { host: url.host, ...options.headers };
    if (cookies) headers.cookie = cookies;
    if (options.body !== undefined) headers['content-length'] = String(Buffer.byteLength(options.body));
    const req = httpRequest(
      { host: '127.0.0.1', port, method: options.method ?? 'GET', path: `${url.pathname}${url.search}`, headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          resolve({
            status: res.statusCode ?? 0,
            location: res.headers.location,
            setCookie: res.headers['set-cookie'],
            body,
            json: <T>() => JSON.parse(body) as T,
          });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

function decodeJwt(token: string): { header: Record<string, unknown>; payload: Record<string, unknown> } {
  const [header, payload] = token
    .split('.')
    .slice(0, 2)
    .map((part) => JSON.parse(Buffer.from(part, 'base64url').toString()));
  return { header, payload };
}

function hiddenInputs(html: string): URLSearchParams {
  const form = new URLSearchParams();
  for (const match of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"\/?>/g)) {
    form.set(match[1], match[2]);
  }
  return form;
}

function formAction(html: string): string {
  const match = /<form[^>]*action="([^"]+)"/.exec(html);
  if (!match) throw new Error(`no form in:\n${html}`);
  return match[1].replace(/&amp;/g, '&');
}

describe('demo identity provider (built, as a child process)', () => {
  let port: number;
  let apiPort: number;
  let issuer: string;
  let provider: RunningProcess;
  let discovery: Record<string, string>;
  const jar = new CookieJar();

  const callback = (host: string): string => `http://${host}.localhost:${apiPort}/auth/callback`;

  const request = async (url: string, options: RequestOptions = {}): Promise<Reply> => {
    const target = new URL(url, issuer);
    if (target.origin !== issuer) throw new Error(`${url} is not on the provider`);
    const reply = await send(port, target, options, jar.header());
    jar.store(reply.setCookie);
    return reply;
  };

  /** Follows redirects within the provider and returns the first reply that is not one of them. */
  const follow = async (url: string, options?: RequestOptions): Promise<{ reply: Reply; url: string }> => {
    let reply = await request(url, options);
    let current = new URL(url, issuer).href;
    for (let hops = 0; hops < 10; hops++) {
      if (reply.status < 300 || reply.status >= 400 || !reply.location) return { reply, url: current };
      const next = new URL(reply.location, current);
      if (next.origin !== issuer) return { reply, url: current };
      current = next.href;
      reply = await request(current);
    }
    throw new Error('too many redirects');
  };

  const authorizationUrl = (params: Record<string, string>): string => {
    const url = new URL(discovery.authorization_endpoint);
    const defaults = { client_id: CLIENT_ID, response_type: 'code', scope: 'openid email profile' };
    for (const [key, value] of Object.entries({ ...defaults, ...params })) url.searchParams.set(key, value);
    return url.href;
  };

  const tokenRequest = (body: Record<string, string>, headers: Record<string, string> = {}): Promise<Reply> =>
    request(discovery.token_endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams(body).toString(),
    });

  const basic = `Basic ${Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64')}`;

  beforeAll(async () => {
    port = await freePort();
    apiPort = await freePort();
    issuer = `http://id.localhost:${port}`;
    provider = runProvider({
      NODE_ENV: 'test',
      PORT_ID: String(port),
      ID_ISSUER: issuer,
      ID_CLIENTS: JSON.stringify([
        { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, originPattern: `http://*.localhost:${apiPort}` },
      ]),
    });
    await waitForLine(provider, `ready ${issuer}`);
    discovery = (await request('/.well-known/openid-configuration')).json<Record<string, string>>();
  });

  afterAll(async () => {
    if (!provider) return;
    provider.child.kill('SIGTERM');
    await provider.exited;
  });

  it('publishes its configuration under the issuer', () => {
    expect(discovery).toMatchObject({
      issuer,
      authorization_endpoint: `${issuer}/auth`,
      token_endpoint: `${issuer}/token`,
      end_session_endpoint: `${issuer}/session/end`,
      response_types_supported: ['code'],
      scopes_supported: ['openid', 'email', 'profile'],
    });
  });

  let idToken: string;

  it('signs a citizen in with the authorization code flow and a client secret', async () => {
    const state = randomBytes(12).toString('base64url');
    const nonce = randomBytes(12).toString('base64url');
    const start = await follow(authorizationUrl({ redirect_uri: callback('esch'), state, nonce }));
    expect(start.reply.status).toBe(200);
    expect(new URL(start.url).pathname).toMatch(/^\/interaction\/[\w-]+$/);
    const page = start.reply.body;
    expect(page).toMatch(/<html lang="(en|fr|de|lb)">/);
    expect(page).toContain('<label for="email">');
    expect(page).toContain('<label for="password">');
    expect(page).toContain('role="alert"');

    const action = new URL(formAction(page), issuer).href;
    const post = (password: string) =>
      follow(action, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ email: CITIZEN, password }).toString(),
      });

    const wrong = await post('not-the-password');
    expect(wrong.reply.status).toBe(401);
    const wrongPage = wrong.reply.body;
    expect(wrongPage).toMatch(/<p id="login-error" class="error" role="alert">[^<]+<\/p>/);
    expect(wrongPage).toContain(`value="${CITIZEN}"`);

    const done = await post(PASSWORD);
    expect(done.reply.status).toBe(303);
    const redirect = new URL(done.reply.location!);
    expect(`${redirect.origin}${redirect.pathname}`).toBe(callback('esch'));
    expect(redirect.searchParams.get('state')).toBe(state);
    expect(redirect.searchParams.get('iss')).toBe(issuer);
    const code = redirect.searchParams.get('code')!;
    expect(code).toBeTruthy();

    const token = await tokenRequest(
      { grant_type: 'authorization_code', code, redirect_uri: callback('esch') },
      { authorization: basic },
    );
    expect(token.status).toBe(200);
    const tokens = token.json<{ id_token: string; access_token: string; token_type: string }>();
    expect(tokens.token_type).toBe('Bearer');
    idToken = tokens.id_token;

    const { header, payload } = decodeJwt(idToken);
    expect(payload).toMatchObject({ iss: issuer, aud: CLIENT_ID, nonce, email: CITIZEN, email_verified: true });
    expect(payload.sub).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(typeof payload.name).toBe('string');
    expect(payload.exp as number).toBeGreaterThan(Date.now() / 1000);

    const jwks = (await request(discovery.jwks_uri)).json<{ keys: (JsonWebKey & { kid: string })[] }>();
    const jwk = jwks.keys.find((key) => key.kid === header.kid);
    expect(jwk).toBeDefined();
    expect(header.alg).toBe('ES256');
    const [encodedHeader, encodedPayload, signature] = idToken.split('.');
    const valid = verify(
      'sha256',
      Buffer.from(`${encodedHeader}.${encodedPayload}`),
      { key: createPublicKey({ key: jwk!, format: 'jwk' }), dsaEncoding: 'ieee-p1363' },
      Buffer.from(signature, 'base64url'),
    );
    expect(valid).toBe(true);

    const userinfo = await request(discovery.userinfo_endpoint, {
      headers: { authorization: `Bearer ${tokens.access_token}` },
    });
    expect(userinfo.json()).toMatchObject({ sub: payload.sub, email: CITIZEN, email_verified: true });
  });

  it('accepts client_secret_post, refuses a wrong secret and a code used twice', async () => {
    const nonce = randomBytes(12).toString('base64url');
    // The provider's session is still open: another commune's host gets a code without a login form.
    const { reply } = await follow(authorizationUrl({ redirect_uri: callback('dudelange'), state: 's', nonce }));
    expect(reply.status).toBe(303);
    const redirect = new URL(reply.location!);
    expect(`${redirect.origin}${redirect.pathname}`).toBe(callback('dudelange'));
    const code = redirect.searchParams.get('code')!;

    const wrongSecret = await tokenRequest({
      grant_type: 'authorization_code',
      code,
      redirect_uri: callback('dudelange'),
      client_id: CLIENT_ID,
      client_secret: 'not-the-secret',
    });
    expect(wrongSecret.status).toBe(401);
    expect(wrongSecret.json()).toMatchObject({ error: 'invalid_client' });

    // Server side, the way the platform calls it: to 127.0.0.1, since Node does not resolve *.localhost.
    const exchange = () =>
      send(
        port,
        new URL(`http://127.0.0.1:${port}/token`),
        {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({
            grant_type: 'authorization_code',
            code,
            redirect_uri: callback('dudelange'),
            client_id: CLIENT_ID,
            client_secret: CLIENT_SECRET,
          }).toString(),
        },
        '',
      );
    const first = await exchange();
    expect(first.status).toBe(200);
    expect(decodeJwt(first.json<{ id_token: string }>().id_token).payload).toMatchObject({ iss: issuer, nonce });
    const second = await exchange();
    expect(second.status).toBe(400);
    expect(second.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it.each([
    ['another origin', 'http://evil.example/auth/callback'],
    ['another path', 'http://esch.localhost:PORT/auth/other'],
    ['another port', 'http://esch.localhost:1/auth/callback'],
    ['two labels for the wildcard', 'http://evil.esch.localhost:PORT/auth/callback'],
    ['a query', 'http://esch.localhost:PORT/auth/callback?next=http://evil.example'],
    ['the pattern itself', 'http://*.localhost:PORT/auth/callback'],
    ['an uppercase host', 'http://ESCH.localhost:PORT/auth/callback'],
    ['https instead of http', 'https://esch.localhost:PORT/auth/callback'],
  ])('refuses a redirect_uri with %s', async (_case, template) => {
    const redirectUri = template.replace('PORT', String(apiPort));
    const { reply } = await follow(authorizationUrl({ redirect_uri: redirectUri, state: 's', nonce: 'n' }));
    expect(reply.status).toBe(400);
    expect(reply.location).toBeUndefined();
    expect(reply.body).toContain('redirect_uri');
  });

  it('refuses an authorization request without redirect_uri', async () => {
    const { reply } = await follow(authorizationUrl({ state: 's', nonce: 'n' }));
    expect(reply.status).toBe(400);
    expect(reply.location).toBeUndefined();
  });

  it('refuses a post_logout_redirect_uri outside the pattern', async () => {
    for (const uri of ['http://evil.example/', `http://esch.localhost:${apiPort}/elsewhere`]) {
      const reply = await request(
        `${discovery.end_session_endpoint}?${new URLSearchParams({ id_token_hint: idToken, post_logout_redirect_uri: uri })}`,
      );
      expect(reply.status).toBe(400);
      expect(reply.location).toBeUndefined();
    }
  });

  it('ends the session with id_token_hint and returns to the post_logout_redirect_uri without a question', async () => {
    const postLogout = `http://esch.localhost:${apiPort}/`;
    const query = new URLSearchParams({ id_token_hint: idToken, post_logout_redirect_uri: postLogout, state: 'bye' });
    const page = await request(`${discovery.end_session_endpoint}?${query}`);
    expect(page.status).toBe(200);
    const html = page.body;
    // The page submits itself; a browser runs this script, the test posts the same form.
    expect(html).toContain('document.forms[0].submit()');
    const form = hiddenInputs(html);
    expect(form.get('logout')).toBe('yes');
    const confirm = await request(new URL(formAction(html), issuer).href, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
    });
    expect(confirm.status).toBe(303);
    expect(confirm.location).toBe(`${postLogout}?state=bye`);

    // The provider's session is gone: the next authorization asks for the password again.
    const again = await follow(authorizationUrl({ redirect_uri: callback('esch'), state: 's', nonce: 'n' }));
    expect(again.reply.status).toBe(200);
    expect(again.reply.body).toContain('name="password"');
  });

  it('ends the session with client_id instead of id_token_hint, also when the provider has no session', async () => {
    const postLogout = `http://dudelange.localhost:${apiPort}/`;
    const query = new URLSearchParams({ client_id: CLIENT_ID, post_logout_redirect_uri: postLogout });
    const page = await request(`${discovery.end_session_endpoint}?${query}`);
    expect(page.status).toBe(200);
    const confirm = await request(new URL(formAction(page.body), issuer).href, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: hiddenInputs(page.body).toString(),
    });
    expect(confirm.status).toBe(303);
    expect(confirm.location).toBe(postLogout);
  });

  it('does not start with NODE_ENV=production', async () => {
    const production = runProvider({ NODE_ENV: 'production', PORT_ID: String(await freePort()) });
    expect(await production.exited).toBe(1);
    expect(production.output()).toContain('development and tests only');
  });
});
