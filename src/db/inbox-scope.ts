import { AsyncLocalStorage } from 'node:async_hooks';
import { type CompiledQuery, type DatabaseConnection, type Dialect, type Driver, DummyDriver, Kysely, type QueryCompiler, type TransactionSettings } from 'kysely';
import type { Database } from './database';

/**
 * The inbox entry a command is running for. Every transaction committed while it runs also marks the
 * entry done, in that same transaction, so "its change is in" and "its entry is done" are one fact.
 */
export interface InboxScope {
  readonly key: string;
  readonly now: () => number;
  /** Set once a transaction of this run has taken the mark (later ones need not). */
  marking: boolean;
  /** Another run of the same entry made its change first: this run's change was rolled back. */
  takenByAnother: boolean;
  /** The run is over: transactions started later from its timers mark nothing. */
  closed: boolean;
}

/** A second run of an entry tried to make its change again; its transaction is rolled back. */
export class InboxEntryAlreadyDone extends Error {
  override readonly name = 'InboxEntryAlreadyDone';

  constructor(readonly key: string) {
    super(`inbox entry ${key} was already done by another run`);
  }
}

/** The runs whose entries a transaction committed here marks done: one, or those of a batch. */
const current = new AsyncLocalStorage<readonly InboxScope[]>();

/** Runs `work` as the run of one inbox entry; see InboxScope. */
export async function runForInboxEntry<T>(key: string, now: () => number, work: (scope: InboxScope) => Promise<T>): Promise<T> {
  const scope: InboxScope = { key, now, marking: false, takenByAnother: false, closed: false };
  try {
    return await current.run([scope], () => work(scope));
  } finally {
    scope.closed = true;
  }
}

/** The inbox runs the caller is part of (none outside the inbox): for work that gathers several runs' changes. */
export function currentInboxScopes(): readonly InboxScope[] {
  return current.getStore() ?? [];
}

/**
 * Runs `work`, which makes the changes of several runs at once (a burst of clicks recorded together),
 * so that its transaction marks every one of their entries done. If one of them was done already by
 * another process, the commit fails with `InboxEntryAlreadyDone` for it (its scope says
 * `takenByAnother`): leave its change out and try the rest again.
 */
export function runForInboxScopes<T>(scopes: readonly InboxScope[], work: () => Promise<T>): Promise<T> {
  return current.run(scopes, work);
}

/**
 * The dialect with one change: committing a transaction inside an inbox entry's run first marks the
 * entry done (`done_at`), on the same connection. When the entry was done already (another process
 * ran it), the commit fails and the transaction rolls back, so a change is never made twice.
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

class InboxMarkingDriver implements Driver {
  constructor(
    private readonly inner: Driver,
    private readonly markDone: (key: string, now: number) => CompiledQuery,
  ) {}

  init(): Promise<void> {
    return this.inner.init();
  }

  acquireConnection(): Promise<DatabaseConnection> {
    return this.inner.acquireConnection();
  }

  beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    return this.inner.beginTransaction(connection, settings);
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    const scopes = currentInboxScopes().filter((scope) => !scope.closed && !scope.marking);
    // Taken before the update, so a second transaction of the same run (on another connection) does not wait on this one's row lock.
    for (const scope of scopes) scope.marking = true;
    try {
      for (const scope of scopes) {
        const result = await connection.executeQuery(this.markDone(scope.key, scope.now()));
        if (Number(result.numAffectedRows ?? 0n) === 0) {
          scope.takenByAnother = true;
          throw new InboxEntryAlreadyDone(scope.key);
        }
      }
      await this.inner.commitTransaction(connection);
    } catch (error) {
      // The transaction rolls back (a refused commit too): the runs it did not mark may mark with their next one.
      for (const scope of scopes) if (!scope.takenByAnother) scope.marking = false;
      throw error;
    }
  }

  rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    return this.inner.rollbackTransaction(connection);
  }

  savepoint(connection: DatabaseConnection, name: string, compileQuery: QueryCompiler['compileQuery']): Promise<void> {
    if (!this.inner.savepoint) throw new Error('savepoints are not supported by this database');
    return this.inner.savepoint(connection, name, compileQuery);
  }

  rollbackToSavepoint(connection: DatabaseConnection, name: string, compileQuery: QueryCompiler['compileQuery']): Promise<void> {
    if (!this.inner.rollbackToSavepoint) throw new Error('savepoints are not supported by this database');
    return this.inner.rollbackToSavepoint(connection, name, compileQuery);
  }

  releaseSavepoint(connection: DatabaseConnection, name: string, compileQuery: QueryCompiler['compileQuery']): Promise<void> {
    if (!this.inner.releaseSavepoint) throw new Error('savepoints are not supported by this database');
    return this.inner.releaseSavepoint(connection, name, compileQuery);
  }

  releaseConnection(connection: DatabaseConnection): Promise<void> {
    return this.inner.releaseConnection(connection);
  }

  destroy(): Promise<void> {
    return this.inner.destroy();
  }
}
