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
  /**
   * The quickest way to run one statement again and again: on SQLite a plain synchronous call of a
   * prepared statement (no promise, no await), on Postgres the same as `run`.
   */
  runner(sql: string): (parameters: unknown[]) => void | Promise<void>;
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
    runner: (sql) => {
      const statement = prepare(sql);
      return (parameters) => void statement.run(...parameters);
    },
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
  const run = async (sql: string, parameters: unknown[] = []) => void (await query(sql, parameters));
  return {
    dialect: 'postgres',
    exec: async (sql) => void (await client.query(sql)),
    all: async <T>(sql: string, parameters: unknown[] = []) => (await query(sql, parameters)).rows as T[],
    run,
    runner: (sql) => (parameters) => run(sql, parameters),
    close: () => client.end(),
  };
}

/**
 * A copy of a table under another name: the same columns, keys, constraints and indexes (read from
 * the database, so it follows the migrations) and the same rows. The rows go in first and the
 * indexes are built after, which is much quicker than growing them row by row.
 */
export async function copyTable(raw: RawDatabase, from: string, to: string): Promise<void> {
  const rename = (sql: string) => sql.replace(new RegExp(`\\b${from}\\b`, 'g'), to).replace(new RegExp(`\\b(${from}_[a-z0-9_]+)\\b`, 'g'), 'bench_$1');
  if (raw.dialect === 'sqlite') {
    const definitions = await raw.all<{ type: string; sql: string }>('SELECT type, sql FROM sqlite_master WHERE tbl_name = ? AND sql IS NOT NULL', [from]);
    for (const { sql } of definitions.filter((d) => d.type === 'table')) await raw.exec(rename(sql));
    await raw.exec(`INSERT INTO ${to} SELECT * FROM ${from}`);
    for (const { sql } of definitions.filter((d) => d.type !== 'table')) await raw.exec(rename(sql));
    return;
  }
  await raw.exec(`CREATE TABLE ${to} (LIKE ${from} INCLUDING DEFAULTS INCLUDING IDENTITY INCLUDING GENERATED)`);
  await raw.exec(`INSERT INTO ${to} OVERRIDING SYSTEM VALUE SELECT * FROM ${from}`);
  const indexes = await raw.all<{ indexdef: string }>('SELECT indexdef FROM pg_indexes WHERE tablename = ? AND schemaname = current_schema()', [from]);
  for (const { indexdef } of indexes) await raw.exec(rename(indexdef.replace(/ ON [a-z0-9_]+\./, ' ON ')));
  // Foreign keys, as the original has them (checked on every insert).
  const keys = await raw.all<{ definition: string }>(
    "SELECT pg_get_constraintdef(oid) AS definition FROM pg_constraint WHERE conrelid = cast(? AS regclass) AND contype = 'f'",
    [from],
  );
  for (const { definition } of keys) await raw.exec(`ALTER TABLE ${to} ADD ${definition}`);
}
