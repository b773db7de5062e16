import type SqliteDatabase from 'better-sqlite3';
import {
  CompiledQuery,
  type DatabaseConnection,
  type Driver,
  type QueryResult,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type Dialect,
  type Kysely,
} from 'kysely';

const STATEMENT_CACHE_SIZE = 500;

/**
 * One better-sqlite3 connection that keeps its prepared statements: the same SQL is compiled by
 * SQLite once, not on every query (most of the cost of a small query).
 */
class CachingSqliteConnection implements DatabaseConnection {
  private readonly statements = new Map<string, SqliteDatabase.Statement>();

  constructor(private readonly db: SqliteDatabase.Database) {}

  private statement(sql: string): SqliteDatabase.Statement {
    let statement = this.statements.get(sql);
    if (statement) {
      // Refresh its place in the least-recently-used order.
      this.statements.delete(sql);
    } else {
      statement = this.db.prepare(sql);
      if (this.statements.size >= STATEMENT_CACHE_SIZE) this.statements.delete(this.statements.keys().next().value!);
    }
    this.statements.set(sql, statement);
    return statement;
  }

  async executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    const statement = this.statement(compiledQuery.sql);
    const parameters = compiledQuery.parameters as unknown[];
    if (statement.reader) return { rows: statement.all(parameters) as R[] };
    const { changes, lastInsertRowid } = statement.run(parameters);
    return { numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid), rows: [] };
  }

  // eslint-disable-next-line require-yield
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('streaming is not used with SQLite here');
  }
}

/** Hands out the single connection one user at a time. */
class ConnectionLock {
  private tail: Promise<void> = Promise.resolve();
  private release?: () => void;

  async acquire(): Promise<void> {
    const previous = this.tail;
    let release!: () => void;
    this.tail = new Promise<void>((resolve) => (release = resolve));
    await previous;
    this.release = release;
  }

  unlock(): void {
    this.release?.();
  }
}

/**
 * Kysely's SQLite driver, with two changes: statements are cached, and transactions take the write
 * lock up front (BEGIN IMMEDIATE), so two processes sharing the file wait their turn (busy_timeout)
 * instead of failing when a reader upgrades to a writer.
 */
class CachingSqliteDriver implements Driver {
  private readonly lock = new ConnectionLock();
  private readonly connection: CachingSqliteConnection;

  constructor(private readonly db: SqliteDatabase.Database) {
    this.connection = new CachingSqliteConnection(db);
  }

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    await this.lock.acquire();
    return this.connection;
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('commit'));
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('rollback'));
  }

  async releaseConnection(): Promise<void> {
    this.lock.unlock();
  }

  async destroy(): Promise<void> {
    this.db.close();
  }
}

export class CachingSqliteDialect implements Dialect {
  constructor(private readonly database: SqliteDatabase.Database) {}

  createDriver(): Driver {
    return new CachingSqliteDriver(this.database);
  }

  createQueryCompiler() {
    return new SqliteQueryCompiler();
  }

  createAdapter() {
    return new SqliteAdapter();
  }

  createIntrospector(db: Kysely<any>) {
    return new SqliteIntrospector(db);
  }
}
