import type { Kysely } from 'kysely';
import { withId } from '../src/db/migration-helpers';

/**
 * Members' goals: one row per member and kind. Progress is read from the logs, publications, follower
 * reports and running totals already kept; a goal row holds only the target, and which period target
 * was last acknowledged and whether a long goal was celebrated, so each is said once.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await withId(db, db.schema.createTable('goals'))
    .addColumn('member_id', 'integer', (c) => c.notNull().references('members.id').onDelete('cascade'))
    .addColumn('group_id', 'integer', (c) => c.notNull().references('groups.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('period', 'text')
    .addColumn('target', 'bigint', (c) => c.notNull())
    .addColumn('by_date', 'text')
    .addColumn('start_date', 'text', (c) => c.notNull())
    .addColumn('achieved_key', 'text')
    .addColumn('celebrated_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('goals_member_kind').on('goals').columns(['member_id', 'kind']).unique().execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('goals').execute();
}
