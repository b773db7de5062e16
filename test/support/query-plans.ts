import { CompiledQuery, type KyselyPlugin, type QueryId, type QueryResult, type RootOperationNode, type UnknownRow } from 'kysely';
import type { Db, Dialect } from '../../src/db/database';

/**
 * How one table of a query is read: a `search` uses an index with a condition, a `scan` reads it whole.
 * A `sort` (table '') is a step that sorts rows the reads did not bring in order.
 */
export interface TableAccess {
  table: string;
  kind: 'scan' | 'search' | 'sort';
  index: string | null;
  /** The indexed condition, as the database prints it ('' for a scan). */
  condition: string;
}

/**
 * The plans of every query `run` sends through `db`, table accesses only. On Postgres the queries run
 * in a transaction with sequential scans, hash and merge joins priced out, so the plan shows whether
 * an index *can* serve each table (a test table of a few thousand rows would otherwise be read whole,
 * or joined whole, because at that size it is cheaper).
 */
export async function plansOf(db: Db, dialect: Dialect, run: (db: Db) => Promise<unknown>): Promise<TableAccess[][]> {
  return db.transaction().execute(async (trx) => {
    if (dialect === 'postgres') {
      for (const setting of ['enable_seqscan', 'enable_hashjoin', 'enable_mergejoin']) await trx.executeQuery(CompiledQuery.raw(`set local ${setting} = off`));
    }
    const captured: CompiledQuery[] = [];
    // Queries built as they run are seen by a plugin; queries compiled once (db/prepared.ts) run as
    // compiled SQL through executeQuery, and their one compile, with stand-in values, is left out.
    const standIn = (value: unknown) => typeof value === 'string' && value.includes('\u0000');
    const capture: KyselyPlugin = {
      transformQuery: (args) => {
        const query = trx.getExecutor().compileQuery(args.node as RootOperationNode, args.queryId);
        if (!query.parameters.some(standIn)) captured.push(query);
        return args.node;
      },
      transformResult: async (args): Promise<QueryResult<UnknownRow>> => args.result,
    };
    const watched = trx.withPlugin(capture);
    const seeingCompiled = new Proxy(watched, {
      get(target, property) {
        if (property === 'executeQuery')
          return (query: CompiledQuery, queryId?: QueryId) => {
            captured.push(query);
            return target.executeQuery(query, queryId);
          };
        const value: unknown = Reflect.get(target, property, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    await run(seeingCompiled);
    const plans: TableAccess[][] = [];
    for (const query of captured) plans.push(await planOf(trx, dialect, query));
    return plans;
  });
}

async function planOf(db: Db, dialect: Dialect, query: CompiledQuery): Promise<TableAccess[]> {
  if (dialect === 'sqlite') {
    const { rows } = await db.executeQuery<{ detail: string }>(CompiledQuery.raw(`explain query plan ${query.sql}`, [...query.parameters]));
    return rows.flatMap((row) => sqliteAccess(row.detail));
  }
  const { rows } = await db.executeQuery<{ 'QUERY PLAN': [{ Plan: PgNode }] }>(CompiledQuery.raw(`explain (format json) ${query.sql}`, [...query.parameters]));
  const accesses: TableAccess[] = [];
  walkPg(rows[0]!['QUERY PLAN'][0].Plan, accesses);
  return accesses;
}

const SQLITE_ACCESS = /^(SCAN|SEARCH) (\S+)(?: USING (?:COVERING )?(?:INDEX (\S+)|(INTEGER PRIMARY KEY)))?(?: \((.*)\))?/;

function sqliteAccess(detail: string): TableAccess[] {
  if (/^USE TEMP B-TREE FOR .*ORDER BY/.test(detail)) return [{ table: '', kind: 'sort', index: null, condition: detail }];
  const match = SQLITE_ACCESS.exec(detail);
  if (!match) return [];
  const [, verb, table, index, rowid, condition = ''] = match;
  return [{ table: table!, kind: verb === 'SEARCH' ? 'search' : 'scan', index: index ?? (rowid ? 'rowid' : null), condition }];
}

interface PgNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Index Cond'?: string;
  Plans?: PgNode[];
}

function walkPg(node: PgNode, into: TableAccess[]): void {
  if (node['Node Type'].endsWith('Sort')) into.push({ table: '', kind: 'sort', index: null, condition: node['Node Type'] });
  const table = node['Relation Name'];
  if (table) {
    // A bitmap heap scan reads what its bitmap index scan child found.
    const source = node['Node Type'] === 'Bitmap Heap Scan' ? findBitmapIndex(node) : node;
    const condition = source?.['Index Cond'] ?? '';
    into.push({ table, kind: condition ? 'search' : 'scan', index: source?.['Index Name'] ?? null, condition });
  }
  for (const child of node.Plans ?? []) if (!(table && node['Node Type'] === 'Bitmap Heap Scan')) walkPg(child, into);
}

function findBitmapIndex(node: PgNode): PgNode | undefined {
  if (node['Node Type'] === 'Bitmap Index Scan') return node;
  for (const child of node.Plans ?? []) {
    const found = findBitmapIndex(child);
    if (found) return found;
  }
  return undefined;
}

/** The columns an access's indexed condition constrains (names as the database printed them). */
export function constrainedColumns(access: TableAccess): string[] {
  return [...access.condition.matchAll(/([a-z_]+)\s*(?:=|>|<|IN\b|= ANY)/gi)].map((m) => m[1]!.toLowerCase());
}
