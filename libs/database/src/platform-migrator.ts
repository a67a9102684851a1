import type { DataSource } from 'typeorm';
import { assertOrdered, type SqlMigration } from './sql-migration';

/** Advisory lock key (first half) shared by every migration run on this database. */
export const MIGRATION_LOCK_CLASS = 0x6e6d67; // "gmg"
const PLATFORM_LOCK_KEY = 0;

export interface MigrationReport {
  applied: string[];
  alreadyApplied: number;
}

/**
 * Applies the platform migrations that are not yet recorded in `platform.schema_migration`. Each one
 * runs in its own transaction under an advisory lock, so two processes starting at once apply each
 * migration exactly once, and a crash leaves only whole migrations behind.
 */
export async function migratePlatform(
  dataSource: DataSource,
  migrations: readonly SqlMigration[],
  log: (line: string) => void = () => undefined,
): Promise<MigrationReport> {
  assertOrdered(migrations);
  const report: MigrationReport = { applied: [], alreadyApplied: 0 };
  const runner = dataSource.createQueryRunner();
  try {
    await runner.query(
      `CREATE SCHEMA IF NOT EXISTS platform;
       CREATE TABLE IF NOT EXISTS platform.schema_migration (
         name text PRIMARY KEY,
         applied_at timestamptz NOT NULL DEFAULT now()
       )`,
    );
    for (const migration of migrations) {
      await runner.query('BEGIN');
      try {
        await runner.query('SELECT pg_advisory_xact_lock($1, $2)', [MIGRATION_LOCK_CLASS, PLATFORM_LOCK_KEY]);
        const done = await runner.query('SELECT 1 FROM platform.schema_migration WHERE name = $1', [migration.name]);
        if (done.length) {
          report.alreadyApplied++;
        } else {
          await runner.query(migration.sql);
          await runner.query('INSERT INTO platform.schema_migration (name) VALUES ($1)', [migration.name]);
          report.applied.push(migration.name);
          log(`platform migration ${migration.name} applied`);
        }
        await runner.query('COMMIT');
      } catch (error) {
        await runner.query('ROLLBACK');
        throw new Error(`Platform migration ${migration.name} failed: ${(error as Error).message}`, { cause: error });
      }
    }
  } finally {
    await runner.release();
  }
  return report;
}
