import { InsertQueryNode, type KyselyPlugin, type QueryId, SelectQueryNode, TableNode, ValuesNode } from 'kysely';
import type { Db } from '../../src/db/database';

/** What a database handle was asked: rows read per table, inserts per table, and its transactions. */
export interface QueryWatch {
  /** Rows returned by selects, by the table they read from. */
  rowsRead: Record<string, number>;
  /** Each insert: its table, how many rows it carried, and whether a transaction was open. */
  inserts: { table: string; rows: number; inTransaction: boolean }[];
  transactions: number;
  reset(): void;
}

function tableOf(node: TableNode | undefined): string | undefined {
  return node?.table.identifier.name;
}

/**
 * `db` as seen through a watch: every query it runs is counted (by the rows it read, not by how long
 * it took), and every transaction it opens.
 */
export function watchedDb(db: Db): { db: Db; watch: QueryWatch } {
  let inTransaction = false;
  const selects = new WeakMap<QueryId, string>();
  const watch: QueryWatch = {
    rowsRead: {},
    inserts: [],
    transactions: 0,
    reset() {
      watch.rowsRead = {};
      watch.inserts = [];
      watch.transactions = 0;
    },
  };
  const plugin: KyselyPlugin = {
    transformQuery({ node, queryId }) {
      if (SelectQueryNode.is(node)) {
        const from = node.from?.froms[0];
        const table = from && TableNode.is(from) ? tableOf(from) : undefined;
        if (table) selects.set(queryId, table);
      }
      if (InsertQueryNode.is(node)) {
        const rows = node.values && ValuesNode.is(node.values) ? node.values.values.length : 0;
        watch.inserts.push({ table: tableOf(node.into) ?? '?', rows, inTransaction });
      }
      return node;
    },
    async transformResult({ result, queryId }) {
      const table = selects.get(queryId);
      if (table) watch.rowsRead[table] = (watch.rowsRead[table] ?? 0) + result.rows.length;
      return result;
    },
  };
  const watched = db.withPlugin(plugin);
  const proxy = new Proxy(watched, {
    get(target, property) {
      if (property === 'transaction') {
        return () => {
          const builder = target.transaction();
          return {
            execute: <T>(work: (trx: Parameters<Parameters<typeof builder.execute>[0]>[0]) => Promise<T>) => {
              watch.transactions++;
              return builder.execute(async (trx) => {
                inTransaction = true;
                try {
                  return await work(trx);
                } finally {
                  inTransaction = false;
                }
              });
            },
          };
        };
      }
      const value: unknown = Reflect.get(target, property, target);
      // Kysely keeps its state in private fields: its methods must see the real object as `this`.
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { db: proxy, watch };
}
