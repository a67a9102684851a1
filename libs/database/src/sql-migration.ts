/**
 * A forward-only migration: reviewed SQL, applied once, in its own transaction, recorded by name.
 * Names sort in the order they must run (a date and a sequence number first).
 */
export interface SqlMigration {
  name: string;
  sql: string;
}

export function assertOrdered(migrations: readonly SqlMigration[]): void {
  const seen = new Set<string>();
  migrations.forEach((m, i) => {
    if (seen.has(m.name)) throw new Error(`Migration ${m.name} is listed twice`);
    seen.add(m.name);
    if (i > 0 && migrations[i - 1].name >= m.name) {
      throw new Error(`Migration ${m.name} must sort after ${migrations[i - 1].name}`);
    }
  });
}
