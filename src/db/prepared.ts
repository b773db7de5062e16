import { type Compilable, CompiledQuery, type Kysely } from 'kysely';

/**
 * A query built and compiled by Kysely once, then run again and again with new values: for the few
 * queries on the hot paths (every /log, every click), where building and compiling would cost more
 * than running. Only for queries whose shape does not depend on their values (no IN lists).
 *
 * It is built with a stand-in for each named value; afterwards each run only puts the real values
 * where the stand-ins were.
 */
export function prepared<A extends Record<string, unknown>, R>(build: (db: Kysely<any>, args: A) => Compilable<R>) {
  const compiledFor = new WeakMap<object, { sql: string; slots: (keyof A | { constant: unknown })[] }>();
  return async (db: Kysely<any>, args: A): Promise<R[]> => {
    // Compiled per dialect (SQLite and Postgres write placeholders differently).
    const adapter = db.getExecutor().adapter;
    let compiled = compiledFor.get(adapter);
    if (!compiled) {
      const standIns = Object.fromEntries(Object.keys(args).map((name) => [name, `\u0000${name}\u0000`])) as unknown as A;
      const query = build(db, standIns).compile();
      const byStandIn = new Map(Object.entries(standIns).map(([name, standIn]) => [standIn as unknown, name as keyof A]));
      compiled = { sql: query.sql, slots: query.parameters.map((p) => byStandIn.get(p) ?? { constant: p }) };
      compiledFor.set(adapter, compiled);
    }
    const parameters = compiled.slots.map((slot) => (typeof slot === 'object' ? slot.constant : args[slot]));
    const result = await db.executeQuery<R>(CompiledQuery.raw(compiled.sql, parameters));
    return result.rows;
  };
}
