import type { DataSource } from 'typeorm';
import type { CommuneRef } from '@gemeng/core';
import { MIGRATION_LOCK_CLASS, type MigrationReport } from './platform-migrator';
import { assertOrdered, type SqlMigration } from './sql-migration';
import { quoteLiteral } from './tenant-names';
import { beginTenantSql } from './tenant-transactions';

/** A tenant migration failed; the ones before it in the same run stay applied. */
export class TenantMigrationError extends Error {
  constructor(
    message: string,
    readonly applied: string[],
    options: { cause: unknown },
  ) {
    super(message, options);
  }
}

/**
 * Applies a commune's pending tenant migrations. Each runs as the commune's role inside its schema, in
 * its own transaction, under the commune's advisory lock, and is recorded in the schema's own
 * `schema_migration` table in that same transaction: a run killed half-way leaves whole migrations
 * behind, and the next run completes the rest.
 */
export async function migrateTenant(
  dataSource: DataSource,
  commune: Pick<CommuneRef, 'slug' | 'schema' | 'role'>,
  migrations: readonly SqlMigration[],
): Promise<MigrationReport> {
  assertOrdered(migrations);
  const report: MigrationReport = { applied: [], alreadyApplied: 0 };
  const runner = dataSource.createQueryRunner();
  const begin = `${beginTenantSql(commune)}; SELECT pg_advisory_xact_lock(${MIGRATION_LOCK_CLASS}, hashtext(${quoteLiteral(commune.slug)}))`;
  try {
    // The schema's migrations table is created like any migration, so that it belongs to the commune's role.
    await runner.query(begin);
    await runner.query(
      `CREATE TABLE IF NOT EXISTS schema_migration (
         name text PRIMARY KEY,
         applied_at timestamptz NOT NULL DEFAULT now()
       )`,
    );
    const rows: { name: string }[] = await runner.query('SELECT name FROM schema_migration');
    await runner.query('COMMIT');
    const applied = new Set(rows.map((r) => r.name));
    for (const migration of migrations) {
      if (applied.has(migration.name)) {
        report.alreadyApplied++;
        continue;
      }
      await runner.query(begin);
      try {
        // Another run may have applied it while this one waited for the lock.
        const done = await runner.query('SELECT 1 FROM schema_migration WHERE name = $1', [migration.name]);
        if (done.length) {
          report.alreadyApplied++;
        } else {
          await runner.query(migration.sql);
          await runner.query('INSERT INTO schema_migration (name) VALUES ($1)', [migration.name]);
          report.applied.push(migration.name);
        }
        await runner.query('COMMIT');
      } catch (error) {
        throw new TenantMigrationError(
          `Tenant migration ${migration.name} failed for ${commune.slug}: ${(error as Error).message}`,
          report.applied,
          { cause: error },
        );
      }
    }
  } catch (error) {
    // Outside a transaction ROLLBACK only warns, so this is safe whichever step failed.
    await runner.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await runner.release();
  }
  return report;
}
