import { AsyncLocalStorage } from 'node:async_hooks';
import { type CompiledQuery, type DatabaseConnection, type Dialect, type Driver, DummyDriver, Kysely, type QueryCompiler, type QueryResult, type TransactionSettings } from 'kysely';
import type { Database } from './database';

/**
 * The inbox entry a command is running for. The first change it makes (a transaction it commits, or a
 * statement outside one that changes rows) also marks the entry done, in that same transaction, so
 * "its change is in" and "its entry is done" are one fact.
 */
export interface InboxScope {
  readonly key: string;
  readonly now: () => number;
  /** Set once a change of this run has taken the mark (later ones need not). */
  marking: boolean;
  /** Another run of the same entry made its change first: this run's change was rolled back. */
  takenByAnother: boolean;
  /** The run is over: transactions started later from its timers mark nothing. */
  closed: boolean;
  /** The run was given up at its deadline (`abandonInboxRun`): nothing of it commits any more. */
  abandoned: boolean;
  /** Its commits under way, which an abandonment waits for. */
  readonly commits: Set<Promise<unknown>>;
}

/** A second run of an entry tried to make its change again; its transaction is rolled back. */
export class InboxEntryAlreadyDone extends Error {
  override readonly name = 'InboxEntryAlreadyDone';

  constructor(readonly key: string) {
    super(`inbox entry ${key} was already done by another run`);
  }
}

/** A run given up at its deadline tried to commit; its transaction is rolled back. */
export class InboxRunAbandoned extends Error {
  override readonly name = 'InboxRunAbandoned';

  constructor(readonly key: string) {
    super(`the run of inbox entry ${key} was abandoned at its deadline`);
  }
}

/** The runs whose entries a transaction committed here marks done: one, or those of a batch. */
const current = new AsyncLocalStorage<readonly InboxScope[]>();

/** Runs `work` as the run of one inbox entry; see InboxScope. */
export async function runForInboxEntry<T>(key: string, now: () => number, work: (scope: InboxScope) => Promise<T>): Promise<T> {
  const scope: InboxScope = { key, now, marking: false, takenByAnother: false, closed: false, abandoned: false, commits: new Set() };
  try {
    return await current.run([scope], () => work(scope));
  } finally {
    scope.closed = true;
  }
}

/**
 * Gives up a run that passed its deadline: from now on each commit of it is refused (rolled back, with
 * `InboxRunAbandoned`), and a commit already under way is waited for. True when the run's change was in
 * by then, so whoever answers for it can say truly what happened.
 */
export async function abandonInboxRun(scope: InboxScope): Promise<boolean> {
  scope.abandoned = true;
  await Promise.allSettled([...scope.commits]);
  return scope.marking && !scope.takenByAnother;
}

/** The inbox runs the caller is part of (none outside the inbox): for work that gathers several runs' changes. */
export function currentInboxScopes(): readonly InboxScope[] {
  return current.getStore() ?? [];
}

/**
 * Runs `work`, which makes the changes of several runs at once (a burst of clicks recorded together),
 * so that its transaction marks every one of their entries done. If one of them was done already by
 * another process, the commit fails with `InboxEntryAlreadyDone` for it (its scope says
 * `takenByAnother`), and if one was abandoned, with `InboxRunAbandoned` (its scope says `abandoned`):
 * leave its change out and try the rest again.
 */
export function runForInboxScopes<T>(scopes: readonly InboxScope[], work: () => Promise<T>): Promise<T> {
  return current.run(scopes, work);
}

/**
 * The dialect with one change: what an inbox entry's run changes also marks the entry done (`done_at`),
 * on the same connection and in the same transaction. Committing a transaction marks it; a statement
 * that changes rows outside a transaction runs in a transaction of its own with the mark. When the
 * entry was done already (another run made the change), that commit or statement fails and rolls
 * back, so a change is never made twice.
 */
export function markingInboxEntries(dialect: Dialect): Dialect {
  const compiler = new Kysely<Database>({
    dialect: {
      createAdapter: () => dialect.createAdapter(),
      createDriver: () => new DummyDriver(),
      createIntrospector: (db) => dialect.createIntrospector(db),
      createQueryCompiler: () => dialect.createQueryCompiler(),
    },
  });
  const markDone = (key: string, now: number): CompiledQuery =>
    compiler.updateTable('command_inbox').set({ done_at: now }).where('idempotency_key', '=', key).where('done_at', 'is', null).compile();
  return {
    createAdapter: () => dialect.createAdapter(),
    createIntrospector: (db) => dialect.createIntrospector(db),
    createQueryCompiler: () => dialect.createQueryCompiler(),
    createDriver: () => new InboxMarkingDriver(dialect.createDriver(), markDone),
  };
}

/** The runs still to be marked by a change made now: open, and not marked by an earlier one. */
function unmarked(scopes: readonly InboxScope[]): InboxScope[] {
  return scopes.filter((scope) => !scope.closed && !scope.marking);
}

function refuseAbandoned(scopes: readonly InboxScope[]): void {
  const abandoned = scopes.find((scope) => scope.abandoned);
  if (abandoned) throw new InboxRunAbandoned(abandoned.key);
}

/** Keeps `commit` among the runs' commits under way until it settles. */
function underWay<T>(scopes: readonly InboxScope[], commit: Promise<T>): Promise<T> {
  const open = scopes.filter((scope) => !scope.closed);
  for (const scope of open) scope.commits.add(commit);
  const settled = () => {
    for (const scope of open) scope.commits.delete(commit);
  };
  commit.then(settled, settled);
  return commit;
}

/** DML in raw SQL (a compiled query run again, a `with` that writes); a query that only reads has none of it. */
const WRITING_SQL = /\b(insert\s+(or\s+\w+\s+)?into|replace\s+into|delete\s+from|merge\s+into)\b|\bupdate\s+\S+(\s+as\s+\S+)?\s+set\b/i;

/** Whether a statement may change rows. Schema changes are nobody's command. */
function mayChange(query: CompiledQuery): boolean {
  const node = query.query;
  switch (node.kind) {
    case 'InsertQueryNode':
    case 'UpdateQueryNode':
    case 'DeleteQueryNode':
    case 'MergeQueryNode':
      return true;
    case 'SelectQueryNode':
      return node.with !== undefined && WRITING_SQL.test(query.sql);
    case 'RawNode':
      return WRITING_SQL.test(query.sql);
    default:
      return false;
  }
}

function changedRows(result: QueryResult<unknown>): boolean {
  return Number(result.numAffectedRows ?? 0n) > 0 || result.rows.length > 0;
}

/** The connection Kysely is handed: it knows whether a transaction is open on it, so a statement run on its own can be marked. */
class MarkingConnection implements DatabaseConnection {
  inTransaction = false;

  constructor(
    readonly inner: DatabaseConnection,
    private readonly driver: InboxMarkingDriver,
  ) {}

  executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    if (this.inTransaction) return this.inner.executeQuery(query);
    const scopes = currentInboxScopes();
    if (scopes.length === 0 || !mayChange(query)) return this.inner.executeQuery(query);
    return this.driver.executeInRuns<R>(this.inner, query, scopes);
  }

  streamQuery<R>(query: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
    return this.inner.streamQuery(query, chunkSize);
  }
}

class InboxMarkingDriver implements Driver {
  /** One wrapper per connection of the inner driver, as Kysely expects the same object each time. */
  private readonly wrappers = new WeakMap<DatabaseConnection, MarkingConnection>();

  constructor(
    private readonly inner: Driver,
    private readonly markDone: (key: string, now: number) => CompiledQuery,
  ) {}

  init(): Promise<void> {
    return this.inner.init();
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    const connection = await this.inner.acquireConnection();
    let wrapper = this.wrappers.get(connection);
    if (!wrapper) this.wrappers.set(connection, (wrapper = new MarkingConnection(connection, this)));
    return wrapper;
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    const wrapper = connection as MarkingConnection;
    await this.inner.beginTransaction(wrapper.inner, settings);
    wrapper.inTransaction = true;
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    const scopes = currentInboxScopes();
    refuseAbandoned(scopes);
    await underWay(scopes, this.commit(connection as MarkingConnection, unmarked(scopes)));
  }

  /** Commits, marking the runs not marked yet. */
  private async commit(wrapper: MarkingConnection, scopes: InboxScope[]): Promise<void> {
    // Taken before the update, so a second transaction of the same run (on another connection) does not wait on this one's row lock.
    for (const scope of scopes) scope.marking = true;
    try {
      await this.mark(wrapper.inner, scopes);
      await this.inner.commitTransaction(wrapper.inner);
      wrapper.inTransaction = false;
    } catch (error) {
      // The transaction rolls back (a refused commit too): the runs it did not mark may mark with their next one.
      for (const scope of scopes) if (!scope.takenByAnother) scope.marking = false;
      throw error;
    }
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    const wrapper = connection as MarkingConnection;
    wrapper.inTransaction = false;
    await this.inner.rollbackTransaction(wrapper.inner);
  }

  /** A statement that may change rows, run outside a transaction by inbox runs: refused for a run given up, marking for one not yet marked. */
  async executeInRuns<R>(connection: DatabaseConnection, query: CompiledQuery, scopes: readonly InboxScope[]): Promise<QueryResult<R>> {
    refuseAbandoned(scopes);
    const toMark = unmarked(scopes);
    if (toMark.length === 0) return connection.executeQuery<R>(query);
    return underWay(scopes, this.executeMarking<R>(connection, query, toMark));
  }

  /**
   * A statement that may change rows, run outside a transaction by runs not yet marked: it runs in a
   * transaction (BEGIN IMMEDIATE on SQLite, as every writing transaction) that marks them, so its
   * change and "done" are one fact. One that changed nothing leaves them unmarked, as a read would;
   * but when another run made the change already, it is refused too.
   */
  private async executeMarking<R>(connection: DatabaseConnection, query: CompiledQuery, scopes: InboxScope[]): Promise<QueryResult<R>> {
    for (const scope of scopes) scope.marking = true;
    let changed = false;
    try {
      await this.inner.beginTransaction(connection, {});
      const result = await connection.executeQuery<R>(query);
      changed = changedRows(result);
      await this.mark(connection, scopes);
      if (changed) await this.inner.commitTransaction(connection);
      else await this.inner.rollbackTransaction(connection);
      return result;
    } catch (error) {
      changed = false;
      // A failed begin or commit may have left no transaction to roll back; the error that matters is the first.
      await this.inner.rollbackTransaction(connection).catch(() => undefined);
      throw error;
    } finally {
      if (!changed) for (const scope of scopes) if (!scope.takenByAnother) scope.marking = false;
    }
  }

  /** Marks each run's entry done, on the connection of the change; an entry done already fails with InboxEntryAlreadyDone. */
  private async mark(connection: DatabaseConnection, scopes: readonly InboxScope[]): Promise<void> {
    for (const scope of scopes) {
      const result = await connection.executeQuery(this.markDone(scope.key, scope.now()));
      if (Number(result.numAffectedRows ?? 0n) === 0) {
        scope.takenByAnother = true;
        throw new InboxEntryAlreadyDone(scope.key);
      }
    }
  }

  savepoint(connection: DatabaseConnection, name: string, compileQuery: QueryCompiler['compileQuery']): Promise<void> {
    if (!this.inner.savepoint) throw new Error('savepoints are not supported by this database');
    return this.inner.savepoint((connection as MarkingConnection).inner, name, compileQuery);
  }

  rollbackToSavepoint(connection: DatabaseConnection, name: string, compileQuery: QueryCompiler['compileQuery']): Promise<void> {
    if (!this.inner.rollbackToSavepoint) throw new Error('savepoints are not supported by this database');
    return this.inner.rollbackToSavepoint((connection as MarkingConnection).inner, name, compileQuery);
  }

  releaseSavepoint(connection: DatabaseConnection, name: string, compileQuery: QueryCompiler['compileQuery']): Promise<void> {
    if (!this.inner.releaseSavepoint) throw new Error('savepoints are not supported by this database');
    return this.inner.releaseSavepoint((connection as MarkingConnection).inner, name, compileQuery);
  }

  releaseConnection(connection: DatabaseConnection): Promise<void> {
    return this.inner.releaseConnection((connection as MarkingConnection).inner);
  }

  destroy(): Promise<void> {
    return this.inner.destroy();
  }
}
