import { existsSync } from 'node:fs';
import { sql } from 'kysely';
import { type DatabaseHandle, openDatabase } from './database';
import { migrateToLatest } from './migrate';

/** Rows inserted per statement: well under Postgres' 65,535 parameters for the widest table. */
const BATCH_ROWS = 500;

export interface CopyReport {
  /** Rows copied per table, in the order they were copied. */
  tables: { name: string; rows: number }[];
}

export class CopyRefused extends Error {
  override readonly name = 'CopyRefused';
}

/**
 * Moves a SQLite database into an empty Postgres one: both are migrated to the same schema, every
 * table is copied in dependency order (parents before the rows that point at them) in one
 * transaction, id sequences are moved past the copied ids, and each table's row count is checked
 * before the transaction commits. A target that already holds rows is refused, so nothing is ever
 * merged into or overwritten in a live database.
 */
export async function copySqliteToPostgres(sqlitePath: string, postgresUrl: string): Promise<CopyReport> {
  if (!existsSync(sqlitePath)) throw new CopyRefused(`There is no SQLite database at ${sqlitePath}.`);
  const source = openDatabase({ sqlitePath });
  const target = openDatabase({ postgresUrl });
  try {
    await migrateToLatest(source);
    await migrateToLatest(target);
    const tables = tablesInDependencyOrder(source);
    await refuseNonEmpty(target, tables);
    const copied: CopyReport['tables'] = [];
    await target.db.transaction().execute(async (trx) => {
      for (const table of tables) {
        const rows = source.sqlite!.prepare(`select * from "${table}" order by rowid`).all() as Record<string, unknown>[];
        const columns = Object.keys(rows[0] ?? {}).map((column) => sql.ref(column));
        for (let i = 0; i < rows.length; i += BATCH_ROWS) {
          const values = rows.slice(i, i + BATCH_ROWS).map((row) => sql`(${sql.join(Object.values(row))})`);
          await sql`insert into ${sql.table(table)} (${sql.join(columns)}) values ${sql.join(values)}`.execute(trx);
        }
        const { count } = (await sql<{ count: number }>`select count(*) as count from ${sql.table(table)}`.execute(trx)).rows[0]!;
        if (Number(count) !== rows.length) throw new Error(`${table}: ${rows.length} rows read but ${count} written; nothing was copied`);
        if (rows[0] && 'id' in rows[0]) {
          await sql`select setval(pg_get_serial_sequence(${table}, 'id'), coalesce((select max(id) from ${sql.table(table)}), 0) + 1, false)`.execute(trx);
        }
        copied.push({ name: table, rows: rows.length });
      }
    });
    return { tables: copied };
  } finally {
    await Promise.all([source.close(), target.close()]);
  }
}

/** The bot's tables (not Kysely's own), each after the tables its foreign keys point to. */
function tablesInDependencyOrder(source: DatabaseHandle): string[] {
  const sqlite = source.sqlite!;
  const names = (sqlite.prepare(`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like 'kysely_%' order by name`).all() as { name: string }[]).map(
    (row) => row.name,
  );
  const parents = new Map(
    names.map((name) => [name, (sqlite.prepare(`select "table" from pragma_foreign_key_list(?)`).all(name) as { table: string }[]).map((fk) => fk.table).filter((t) => t !== name)]),
  );
  const ordered: string[] = [];
  const visit = (name: string, path: Set<string>) => {
    if (ordered.includes(name)) return;
    if (path.has(name)) throw new Error(`tables ${[...path].join(', ')} point at each other; cannot order them`);
    path.add(name);
    for (const parent of parents.get(name) ?? []) visit(parent, path);
    path.delete(name);
    ordered.push(name);
  };
  for (const name of names) visit(name, new Set());
  return ordered;
}

async function refuseNonEmpty(target: DatabaseHandle, tables: string[]): Promise<void> {
  for (const table of tables) {
    const { rows } = await sql<{ found: number }>`select 1 as found from ${sql.table(table)} limit 1`.execute(target.db);
    if (rows.length)
      throw new CopyRefused(`The Postgres database at ${target.location} already holds data (table ${table} has rows). Copy into a new, empty database.`);
  }
}
