import { CompiledQuery } from 'kysely';
import type { DatabaseHandle } from './database';

/**
 * Rows SQLite reads per index when it gathers statistics: enough for the planner to tell a selective
 * index from a poor one, and bounded, so the work costs the same in a year-old database as in a new one.
 */
const SQLITE_ANALYSIS_LIMIT = 1000;

/**
 * Gives the query planner fresh row counts and value spreads; without them it guesses, and guesses
 * badly once tables hold millions of rows (a board read whole instead of by its index).
 * SQLite: a sampled ANALYZE at first (`full`), then `PRAGMA optimize`, which re-reads only tables that
 * changed a lot. Postgres: ANALYZE of this schema's tables, which samples a fixed number of rows.
 */
export async function refreshStatistics(handle: DatabaseHandle, options: { full?: boolean } = {}): Promise<void> {
  if (handle.sqlite) {
    handle.sqlite.pragma(`analysis_limit = ${SQLITE_ANALYSIS_LIMIT}`);
    // 0x10002: look at every table, not only those this connection has queried.
    handle.sqlite.exec(options.full ? 'ANALYZE' : 'PRAGMA optimize = 0x10002');
    return;
  }
  const { rows } = await handle.db.executeQuery<{ tablename: string }>(
    CompiledQuery.raw('select tablename from pg_tables where schemaname = current_schema() order by tablename'),
  );
  if (rows.length === 0) return;
  await handle.db.executeQuery(CompiledQuery.raw(`analyze ${rows.map((r) => `"${r.tablename.replace(/"/g, '""')}"`).join(', ')}`));
}
