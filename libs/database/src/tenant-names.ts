/**
 * A commune's slug is its identity everywhere: subdomain, schema, role, file name. Schema and role
 * names are derived from it deterministically so that nothing needs a lookup to find them.
 */
export const SLUG_PATTERN = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
export const SLUG_MAX_LENGTH = 40;

/** Host labels that can never be a commune. */
export const RESERVED_SLUGS = new Set(['operator', 'www', 'api', 'admin', 'id', 'auth', 'static', 'mail']);

export function slugProblem(slug: string): string | undefined {
  if (!SLUG_PATTERN.test(slug)) {
    return 'must be lowercase letters, digits and single hyphens, starting with a letter';
  }
  if (slug.length > SLUG_MAX_LENGTH) return `must be at most ${SLUG_MAX_LENGTH} characters`;
  if (RESERVED_SLUGS.has(slug)) return `"${slug}" is reserved`;
  return undefined;
}

function assertSlug(slug: string): void {
  const problem = slugProblem(slug);
  if (problem) throw new Error(`Invalid commune slug "${slug}": ${problem}`);
}

/** Schema of a commune: `t_<slug>` with hyphens as underscores (slugs never contain underscores). */
export function tenantSchema(slug: string): string {
  assertSlug(slug);
  return `t_${slug.replace(/-/g, '_')}`;
}

/** The NOLOGIN role that owns the commune's schema; same name as the schema. */
export function tenantRole(slug: string): string {
  return tenantSchema(slug);
}

/** Quotes an SQL identifier. Names are derived from validated slugs, and are still always quoted. */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export function quoteLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}
