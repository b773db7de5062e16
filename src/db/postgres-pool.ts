import type { PostgresPool, PostgresPoolClient, PostgresQueryResult } from 'kysely';
import type Pg from 'pg';

/** Statement names per process: far more than the bot's distinct queries, few enough for any server. */
const MAX_NAMED_STATEMENTS = 500;

/**
 * A pg pool for Kysely that runs each distinct SQL text as a named prepared statement, so Postgres
 * parses and plans it once per connection instead of on every run: most of the cost of the small
 * queries a command makes. Statements past the limit (IN lists of many lengths) run unnamed.
 */
export function preparingPool(pool: Pg.Pool): PostgresPool {
  const names = new Map<string, string>();
  const nameOf = (sql: string): string | undefined => {
    let name = names.get(sql);
    if (name === undefined && names.size < MAX_NAMED_STATEMENTS) names.set(sql, (name = `q${names.size}`));
    return name;
  };
  // Kysely keeps one connection object per client it is handed: hand it the same wrapper each time.
  const wrappers = new WeakMap<Pg.PoolClient, PostgresPoolClient>();
  return {
    async connect() {
      const client = await pool.connect();
      let wrapper = wrappers.get(client);
      if (!wrapper) {
        wrapper = {
          query: (<R>(sql: string, parameters: ReadonlyArray<unknown>) =>
            client.query({ name: nameOf(sql), text: sql, values: [...parameters] }) as unknown as Promise<PostgresQueryResult<R>>) as PostgresPoolClient['query'],
          release: () => client.release(),
        };
        wrappers.set(client, wrapper);
      }
      return wrapper;
    },
    end: () => pool.end(),
  };
}
