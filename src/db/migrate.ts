import { type Migration, Migrator } from 'kysely';
import { migrations } from '../../migrations/index';
import type { DatabaseHandle } from './database';

/**
 * Brings the schema up to date, all or nothing. Postgres: Kysely runs the migrations in one
 * transaction under an advisory lock. SQLite: Kysely's lock is a no-op and it runs DDL outside a
 * transaction, so the whole run is wrapped in BEGIN IMMEDIATE, which also serialises processes.
 */
export async function migrateToLatest(handle: DatabaseHandle, all: Record<string, Migration> = migrations): Promise<string[]> {
  const migrator = new Migrator({ db: handle.db, provider: { getMigrations: async () => all } });
  const sqlite = handle.sqlite;
  sqlite?.exec('BEGIN IMMEDIATE');
  const { error, results = [] } = await migrator.migrateToLatest();
  if (error) {
    if (sqlite?.inTransaction) sqlite.exec('ROLLBACK');
    const failed = results.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`Database migration ${failed} failed; nothing was changed`, { cause: error });
  }
  sqlite?.exec('COMMIT');
  return results.filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
