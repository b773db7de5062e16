import type SqliteDatabase from 'better-sqlite3';
import pg from 'pg';
import type { DatabaseConfig, Dialect } from '../src/db/database';

/**
 * The simplest way to talk to the same database the bot uses, for baselines: SQLite through
 * better-sqlite3's prepared statements, Postgres through pg's named prepared statements on one
 * connection. SQL is written with `?` placeholders for both.
 */
export interface RawDatabase {
  readonly dialect: Dialect;
  exec(sql: string): Promise<void>;
  all<T>(sql: string, parameters?: unknown[]): Promise<T[]>;
  run(sql: string, parameters?: unknown[]): Promise<void>;
  close(): Promise<void>;
}

/** The first row of a query that always returns one (an aggregate). */
export async function one<T>(raw: RawDatabase, sql: string, parameters: unknown[] = []): Promise<T> {
  const [row] = await raw.all<T>(sql, parameters);
  if (!row) throw new Error(`no row from: ${sql}`);
  return row;
}

export function rawSqlite(db: SqliteDatabase.Database): RawDatabase {
  const statements = new Map<string, SqliteDatabase.Statement>();
  const prepare = (sql: string) => statements.get(sql) ?? statements.set(sql, db.prepare(sql)).get(sql)!;
  return {
    dialect: 'sqlite',
    exec: async (sql) => void db.exec(sql),
    all: async <T>(sql: string, parameters: unknown[] = []) => prepare(sql).all(...parameters) as T[],
    run: async (sql, parameters = []) => void prepare(sql).run(...parameters),
    close: async () => undefined,
  };
}

export async function rawPostgres(config: Extract<DatabaseConfig, { postgresUrl: string }>): Promise<RawDatabase> {
  const client = new pg.Client({ connectionString: config.postgresUrl });
  await client.connect();
  const names = new Map<string, string>();
  const query = (sql: string, values: unknown[]) => {
    let name = names.get(sql);
    if (!name) names.set(sql, (name = `bench_${names.size}`));
    let n = 0;
    return client.query({ name, text: sql.replace(/\?/g, () => `$${++n}`), values });
  };
  return {
    dialect: 'postgres',
    exec: async (sql) => void (await client.query(sql)),
    all: async <T>(sql: string, parameters: unknown[] = []) => (await query(sql, parameters)).rows as T[],
    run: async (sql, parameters = []) => void (await query(sql, parameters)),
    close: () => client.end(),
  };
}
