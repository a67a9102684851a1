import { createHash, createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
// Pure logic only: jest cannot load oidc-provider (an ES module); the provider itself is exercised over
// HTTP by the end-to-end suite.
import { DEMO_PASSWORD, demoAccounts, demoSubject, uuidV5 } from './demo-accounts';
import { loginPage, pageLocale, htmlPage } from './login-page';
import { parseOriginPattern, redirectUriMatches } from './redirect-uri-pattern';
import { signingKey } from './signing-key';

describe('parseOriginPattern', () => {
  it('accepts an origin whose first label is a wildcard, and gives it in canonical form', () => {
    expect(parseOriginPattern('http://*.localhost:3000')).toBe('http://*.localhost:3000');
    expect(parseOriginPattern('HTTP://*.LocalHost:3000/')).toBe('http://*.localhost:3000');
    expect(parseOriginPattern('https://*.gemeng.lu:443')).toBe('https://*.gemeng.lu');
    expect(parseOriginPattern('https://www.esch.lu')).toBe('https://www.esch.lu');
  });

  it.each([
    ['not a URL', 'localhost:3000'],
    ['another scheme', 'ftp://*.localhost'],
    ['a path', 'http://*.localhost:3000/auth'],
    ['a query', 'http://*.localhost:3000?x=1'],
    ['a fragment', 'http://*.localhost:3000#x'],
    ['credentials', 'http://user@*.localhost:3000'],
    ['a wildcard alone', 'http://*:3000'],
    ['a wildcard that is not the first label', 'http://esch.*.localhost:3000'],
    ['a partial wildcard', 'http://commune-*.localhost:3000'],
    ['two wildcards', 'http://*.*.localhost:3000'],
  ])('refuses %s', (_case, pattern) => {
    expect(() => parseOriginPattern(pattern)).toThrow(/origin pattern/);
  });
});

describe('redirectUriMatches', () => {
  const callback = 'http://*.localhost:3000/auth/callback';

  it('accepts any one-label host of the pattern with the exact path', () => {
    expect(redirectUriMatches(callback, 'http://esch.localhost:3000/auth/callback')).toBe(true);
    expect(redirectUriMatches(callback, 'http://bech-kleinmacher.localhost:3000/auth/callback')).toBe(true);
    expect(redirectUriMatches(callback, 'http://xn--mnster-3ya.localhost:3000/auth/callback')).toBe(true);
    expect(redirectUriMatches('http://*.localhost:3000/', 'http://esch.localhost:3000/')).toBe(true);
  });

  it.each([
    ['another origin', 'http://evil.example/auth/callback'],
    ['another registrable domain', 'http://esch.localhost.evil.example:3000/auth/callback'],
    ['two labels for the wildcard', 'http://evil.esch.localhost:3000/auth/callback'],
    ['no label for the wildcard', 'http://localhost:3000/auth/callback'],
    ['another port', 'http://esch.localhost:3001/auth/callback'],
    ['no port', 'http://esch.localhost/auth/callback'],
    ['another scheme', 'https://esch.localhost:3000/auth/callback'],
    ['another path', 'http://esch.localhost:3000/auth/callback/x'],
    ['a path prefix', 'http://esch.localhost:3000/auth'],
    ['a query', 'http://esch.localhost:3000/auth/callback?next=/'],
    ['an empty query', 'http://esch.localhost:3000/auth/callback?'],
    ['a fragment', 'http://esch.localhost:3000/auth/callback#x'],
    ['credentials', 'http://evil.example@esch.localhost:3000/auth/callback'],
    ['an uppercase host', 'http://ESCH.localhost:3000/auth/callback'],
    ['a backslash', 'http://esch.localhost:3000\\auth/callback'],
    ['dot segments', 'http://esch.localhost:3000/x/../auth/callback'],
    ['a trailing dot', 'http://esch.localhost.:3000/auth/callback'],
    ['the pattern itself', 'http://*.localhost:3000/auth/callback'],
    ['an underscore in the label', 'http://es_ch.localhost:3000/auth/callback'],
    ['not a URL', 'esch.localhost:3000/auth/callback'],
  ])('refuses %s', (_case, candidate) => {
    expect(redirectUriMatches(callback, candidate)).toBe(false);
  });

  it('compares registered URIs without a wildcard exactly', () => {
    const registered = 'https://www.esch.lu/auth/callback';
    expect(redirectUriMatches(registered, registered)).toBe(true);
    expect(redirectUriMatches(registered, 'https://WWW.esch.lu/auth/callback')).toBe(false);
    expect(redirectUriMatches(registered, 'https://www.esch.lu/auth/callback/')).toBe(false);
  });
});

describe('demoAccounts', () => {
  it('has a citizen, an agent and an administrator per commune and one operator, all with the demo password', () => {
    const accounts = demoAccounts(['esch', 'dudelange', 'esch']);
    expect(accounts.map((account) => account.email)).toEqual([
      'citizen.dudelange@demo.gemeng.lu',
      'agent.dudelange@demo.gemeng.lu',
      'admin.dudelange@demo.gemeng.lu',
      'citizen.esch@demo.gemeng.lu',
      'agent.esch@demo.gemeng.lu',
      'admin.esch@demo.gemeng.lu',
      'operator@demo.gemeng.lu',
    ]);
    expect(accounts.every((account) => account.password === DEMO_PASSWORD)).toBe(true);
    expect(new Set(accounts.map((account) => account.sub)).size).toBe(accounts.length);
    expect(accounts.every((account) => /^\p{Lu}\p{L}+ \p{Lu}\p{L}+$/u.test(account.name))).toBe(true);
    expect(accounts.every((account) => ['lb', 'fr', 'de', 'en'].includes(account.locale!))).toBe(true);
  });

  it('keeps identities stable: the same sub, name and language for the same email, run after run', () => {
    const [first] = demoAccounts(['esch']);
    expect(demoAccounts(['luxembourg', 'esch']).find((account) => account.email === first.email)).toEqual(first);
    expect(first.sub).toBe(demoSubject('Citizen.Esch@demo.gemeng.lu'));
    expect(first.sub).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('derives subjects as RFC 9562 version 5 UUIDs', () => {
    // The example of RFC 9562 appendix A.4: "www.example.com" in the DNS namespace.
    expect(uuidV5('6ba7b810-9dad-11d1-80b4-00c04fd430c8', 'www.example.com')).toBe(
      '2ed6657d-e927-568b-95e1-2665a8aea6a2',
    );
  });
});

describe('login page', () => {
  it('speaks the first supported language of ui_locales, then of Accept-Language, else English', () => {
    expect(pageLocale('de-LU fr', 'en')).toBe('de');
    expect(pageLocale('it', 'lb-LU,lb;q=0.9,fr;q=0.8')).toBe('lb');
    expect(pageLocale(undefined, 'it, es')).toBe('en');
    expect(pageLocale(42, undefined)).toBe('en');
  });

  it('labels its fields and escapes what it echoes', () => {
    const { html } = loginPage({
      locale: 'fr',
      action: '/interaction/abc/login',
      email: '"><script>alert(1)</script>',
      wrongCredentials: true,
    });
    expect(html).toContain('<html lang="fr">');
    expect(html).toContain('<label for="email">Adresse e-mail</label>');
    expect(html).toContain('<label for="password">Mot de passe</label>');
    expect(html).toMatch(/<p id="login-error" class="error" role="alert">L&#39;adresse/);
    expect(html).toContain('aria-describedby="login-error"');
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).toContain('value="&#34;&#62;&#60;script&#62;');
  });

  it('leaves the error area empty when there is nothing to report', () => {
    const { html } = loginPage({ locale: 'en', action: '/interaction/abc/login' });
    expect(html).toContain('<p id="login-error" class="error" role="alert"></p>');
    expect(html).not.toContain('aria-invalid');
  });

  it('allows no script but its own, by hash', () => {
    expect(htmlPage('en', 't', '<p>x</p>').csp).toContain("script-src 'none'");
    const script = 'document.forms[0].submit();';
    const digest = createHash('sha256').update(script).digest('base64');
    expect(htmlPage('en', 't', '<form></form>', script).csp).toContain(`script-src 'sha256-${digest}'`);
  });
});

describe('signingKey', () => {
  it('derives the same valid P-256 key from the same secret, and another from another secret', () => {
    const key = signingKey('a development cookie key');
    expect(signingKey('a development cookie key')).toEqual(key);
    expect(signingKey('another development cookie key').d).not.toBe(key.d);

    const data = Buffer.from('header.payload');
    const signature = sign('sha256', data, {
      key: createPrivateKey({ key: key, format: 'jwk' }),
      dsaEncoding: 'ieee-p1363',
    });
    const { d: _private, ...publicJwk } = key;
    const publicKey = createPublicKey({ key: publicJwk, format: 'jwk' });
    expect(verify('sha256', data, { key: publicKey, dsaEncoding: 'ieee-p1363' }, signature)).toBe(true);
  });
});
