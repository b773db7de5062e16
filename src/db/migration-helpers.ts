import { type CreateTableBuilder, type Kysely, PostgresAdapter } from 'kysely';

export function isPostgres(db: Kysely<unknown>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

/**
 * An integer primary key the database numbers itself, in each dialect's own way. Ids are never
 * reused (they travel in buttons and job keys), except where `reusable` says a table's ids are
 * internal: there SQLite skips AUTOINCREMENT's extra write on every insert.
 */
export function withId<T extends string>(db: Kysely<unknown>, table: CreateTableBuilder<T, never>, ids: 'unique' | 'reusable' = 'unique') {
  return table.addColumn('id', 'integer', (col) => {
    if (isPostgres(db)) return col.primaryKey().generatedByDefaultAsIdentity();
    return ids === 'unique' ? col.primaryKey().autoIncrement() : col.primaryKey();
  });
}
