/**
 * Redirect URI patterns of the demo identity provider. Every commune has its own host and communes are
 * onboarded at runtime, so a relying party registers an origin pattern such as `http://*.localhost:3000`
 * instead of a list of hosts. OpenID Connect asks for exact string comparison; the pattern departs from
 * it only as far as the host goes, and nowhere else.
 */

/** One DNS label, as the WHATWG URL parser leaves it (lowercase, punycode for non-ASCII). */
const DNS_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * Checks an origin pattern and returns it in canonical form: `http` or `https`, a host whose first label
 * may be `*` (exactly one label, never a partial one) followed by at least one fixed label, an optional
 * port, and nothing else.
 */
export function parseOriginPattern(pattern: string): string {
  const url = URL.parse(pattern);
  const fail = (why: string): never => {
    throw new Error(`origin pattern "${pattern}" ${why}`);
  };
  if (!url) return fail('is not a URL');
  if (url.protocol !== 'http:' && url.protocol !== 'https:') fail('must use http or https');
  if (url.username || url.password) fail('must not carry credentials');
  if (url.pathname !== '/' || url.search || url.hash || /[?#]/.test(pattern)) {
    fail('must be an origin only, without path, query or fragment');
  }
  const labels = url.hostname.split('.');
  labels.forEach((label, index) => {
    if (label === '*' && index === 0) return;
    if (label.includes('*')) fail('may only have "*" as the whole first label of the host');
    if (!DNS_LABEL.test(label)) fail(`has an invalid host label "${label}"`);
  });
  if (labels.length < 2) fail('needs at least one fixed label after the wildcard');
  return `${url.protocol}//${url.host}`;
}

/**
 * Whether `candidate` is allowed by the registered URI. Without a `*` the comparison is exact. With one,
 * the candidate must be in canonical form (what the URL parser would print: no uppercase host, no
 * backslash, no default port spelled out), use the same scheme and port, the same path, no query, no
 * fragment, no credentials, and have as many host labels as the pattern, the `*` standing for one
 * DNS label. Anything the parser would rewrite is refused rather than normalised, because the provider
 * redirects to the string it was given, not to the parsed URL.
 */
export function redirectUriMatches(registered: string, candidate: string): boolean {
  if (!registered.includes('*')) return registered === candidate;
  const pattern = URL.parse(registered);
  const url = URL.parse(candidate);
  if (!pattern || !url || url.href !== candidate) return false;
  if (url.protocol !== pattern.protocol || url.port !== pattern.port || url.pathname !== pattern.pathname) {
    return false;
  }
  if (/[?#]/.test(candidate) || url.username || url.password) return false;
  const expected = pattern.hostname.split('.');
  const actual = url.hostname.split('.');
  if (actual.length !== expected.length) return false;
  return expected.every((label, index) => (label === '*' ? DNS_LABEL.test(actual[index]) : label === actual[index]));
}
