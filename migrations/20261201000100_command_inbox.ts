import type { Kysely } from 'kysely';

/**
 * Commands as they arrive, stored before the platform is acknowledged: an acknowledged command whose
 * process dies is run once by another (or the next) process and answered where the platform allows.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('command_inbox')
    .addColumn('idempotency_key', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('invocation', 'text', (c) => c.notNull())
    .addColumn('reply_to', 'text')
    .addColumn('received_at', 'bigint', (c) => c.notNull())
    .addColumn('claimed_by', 'text')
    .addColumn('claimed_until', 'bigint')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('done_at', 'bigint')
    .addColumn('answered_at', 'bigint')
    .execute();
  // Recovery reads the unanswered entries, oldest first; pruning reads by age.
  await db.schema.createIndex('command_inbox_unanswered').on('command_inbox').columns(['answered_at', 'received_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('command_inbox').execute();
}
