import { type DatabaseIntrospector, type Kysely, type Migration, Migrator, sql } from 'kysely';
import { migrations } from '../../migrations/index';
import type { Database, DatabaseHandle } from './database';
import { refreshStatistics } from './statistics';

/**
 * Brings the schema up to date, all or nothing. Postgres: Kysely runs the migrations in one
 * transaction under an advisory lock. SQLite: Kysely's lock is a no-op and it runs DDL outside a
 * transaction, so the whole run is wrapped in BEGIN IMMEDIATE, which also serialises processes.
 * Once something ran, the planner's statistics are refreshed.
 */
export async function migrateToLatest(handle: DatabaseHandle, all: Record<string, Migration> = migrations): Promise<string[]> {
  const schema = await migrationSchema(handle).catch((error: unknown) => {
    throw unreachableError(handle, error) ?? error;
  });
  const migrator = new Migrator({
    db: schema === undefined ? handle.db : seeingOnlyItsSchema(handle.db, schema),
    provider: { getMigrations: async () => all },
    migrationTableSchema: schema,
  });
  const sqlite = handle.sqlite;
  sqlite?.exec('BEGIN IMMEDIATE');
  const { error, results = [] } = await migrator.migrateToLatest();
  if (error) {
    if (sqlite?.inTransaction) sqlite.exec('ROLLBACK');
    const unreachable = unreachableError(handle, error);
    if (unreachable) throw unreachable;
    const failed = results.find((r) => r.status === 'Error')?.migrationName;
    throw new Error(failed ? `Database migration ${failed} failed; nothing was changed` : 'Database migrations could not run; nothing was changed', { cause: error });
  }
  sqlite?.exec('COMMIT');
  // A migration may have added tables, indexes or many rows: the planner learns of them at once.
  if (results.length) await refreshStatistics(handle, { full: true });
  return results.filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/**
 * On Postgres, the schema the connection works in (its search_path's first). Kysely otherwise looks
 * for its migration tables in every schema of the database, so a database holding another schema's
 * bookkeeping tables (another deployment, or another test) would make it skip creating its own.
 */
async function migrationSchema(handle: DatabaseHandle): Promise<string | undefined> {
  if (handle.dialect !== 'postgres') return undefined;
  const { rows } = await sql<{ schema: string | null }>`select current_schema() as schema`.execute(handle.db);
  return rows[0]?.schema ?? undefined;
}

/**
 * The database as Kysely's migrator sees it, asking whether its tables exist: the tables of the
 * migration schema only. Kysely otherwise lists every table of every schema with its columns, which
 * fails when another schema on the server is dropped at that moment (another deployment, or a test).
 */
function seeingOnlyItsSchema(db: Kysely<Database>, schema: string): Kysely<Database> {
  const introspection: DatabaseIntrospector = {
    getSchemas: () => db.introspection.getSchemas(),
    getMetadata: () => db.introspection.getMetadata(),
    getTables: async () => {
      const { rows } = await sql<{ name: string }>`select table_name as name from information_schema.tables where table_schema = ${schema}`.execute(db);
      return rows.map(({ name }) => ({ name, schema, isView: false, columns: [] }));
    },
  };
  return new Proxy(db, {
    get(target, property) {
      if (property === 'introspection') return introspection;
      // Kysely keeps its state in private fields: its methods must run on the instance itself.
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

// Node's network errors, and Postgres' refusals before any query (bad login, no such database).
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH']);
const REFUSED_SQLSTATE = /^(28|3D)/;

function unreachableError(handle: DatabaseHandle, error: unknown): Error | undefined {
  const why = connectionFailure(error);
  return why === undefined ? undefined : new Error(`Could not reach the database at ${handle.location}: ${why}`, { cause: error });
}

/** Why the database could not be reached at all, or undefined for a failure inside a migration. */
function connectionFailure(error: unknown): string | undefined {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (typeof code !== 'string' || typeof message !== 'string') return undefined;
  return NETWORK_CODES.has(code) || REFUSED_SQLSTATE.test(code) ? message : undefined;
}
