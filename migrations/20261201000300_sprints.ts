import type { Kysely } from 'kysely';
import { withId } from '../src/db/migration-helpers';

/**
 * Writing sprints: one row per sprint, one per participant, and the members who asked to be pinged.
 * `open_in_channel` holds the channel's key while a sprint is under way and is null once it is over,
 * so a unique index keeps one sprint at a time per channel on both dialects (NULLs never collide).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('groups').addColumn('sprint_window_minutes', 'integer', (c) => c.notNull().defaultTo(2)).execute();
  await db.schema.alterTable('groups').addColumn('sprint_max_wpm', 'integer', (c) => c.notNull().defaultTo(150)).execute();
  await db.schema.alterTable('groups').addColumn('sprint_role_id', 'text').execute();

  await withId(db, db.schema.createTable('sprints'))
    .addColumn('group_id', 'integer', (c) => c.notNull().references('groups.id').onDelete('cascade'))
    .addColumn('channel_id', 'text', (c) => c.notNull())
    .addColumn('open_in_channel', 'text', (c) => c.unique())
    .addColumn('starter_user_id', 'text', (c) => c.notNull())
    .addColumn('minutes', 'integer', (c) => c.notNull())
    .addColumn('start_at', 'bigint', (c) => c.notNull())
    .addColumn('end_at', 'bigint', (c) => c.notNull())
    .addColumn('window_closes_at', 'bigint', (c) => c.notNull())
    .addColumn('announcement_message_id', 'text')
    .addColumn('chain_position', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('chain_length', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('chain_gap_minutes', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('event_key', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('cancelled_at', 'bigint')
    .addColumn('finished_at', 'bigint')
    .execute();
  await db.schema.createIndex('sprints_group_end').on('sprints').columns(['group_id', 'end_at']).execute();

  await db.schema
    .createTable('sprint_participants')
    .addColumn('sprint_id', 'integer', (c) => c.notNull().references('sprints.id').onDelete('cascade'))
    .addColumn('member_id', 'integer', (c) => c.notNull().references('members.id').onDelete('cascade'))
    .addColumn('start_count', 'integer')
    .addColumn('final_count', 'integer')
    .addColumn('joined_at', 'bigint', (c) => c.notNull())
    .addColumn('counted_at', 'bigint')
    .addPrimaryKeyConstraint('sprint_participants_pk', ['sprint_id', 'member_id'])
    .execute();
  await db.schema.createIndex('sprint_participants_member').on('sprint_participants').column('member_id').execute();

  await db.schema
    .createTable('sprint_watchers')
    .addColumn('member_id', 'integer', (c) => c.primaryKey().references('members.id').onDelete('cascade'))
    .addColumn('group_id', 'integer', (c) => c.notNull().references('groups.id').onDelete('cascade'))
    .execute();
  await db.schema.createIndex('sprint_watchers_group').on('sprint_watchers').column('group_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('sprint_watchers').execute();
  await db.schema.dropTable('sprint_participants').execute();
  await db.schema.dropTable('sprints').execute();
  await db.schema.alterTable('groups').dropColumn('sprint_role_id').execute();
  await db.schema.alterTable('groups').dropColumn('sprint_max_wpm').execute();
  await db.schema.alterTable('groups').dropColumn('sprint_window_minutes').execute();
}
