import { sql } from 'kysely';
import type { Db } from '../../src/db/database';

/** How many rows each table of the schema holds, on any dialect; a table added later is counted too. */
export async function rowCounts(db: Db): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of await db.introspection.getTables()) {
    const { rows } = await sql<{ n: number | string }>`SELECT COUNT(*) AS n FROM ${sql.table(table.name)}`.execute(db);
    counts[table.name] = Number(rows[0]!.n);
  }
  return counts;
}
