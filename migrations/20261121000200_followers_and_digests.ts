import type { Kysely } from 'kysely';
import { withId } from '../src/db/migration-helpers';

/** Follower snapshots, leaderboard privacy, streak reminders, and each group's digest schedule. */
export async function up(db: Kysely<any>): Promise<void> {
  await withId(db, db.schema.createTable('follower_snapshots'))
    .addColumn('member_id', 'integer', (c) => c.notNull().references('members.id').onDelete('cascade'))
    // The member's group, kept here so a digest reads its week of counts with one index range.
    .addColumn('group_id', 'integer', (c) => c.notNull().references('groups.id').onDelete('cascade'))
    .addColumn('platform', 'text', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull())
    // The member's count on every platform together at that moment: gains and charts read only this.
    .addColumn('total', 'integer', (c) => c.notNull())
    // The total before this report (null for the first): what the member had at any moment up to now.
    .addColumn('previous_total', 'integer')
    .addColumn('recorded_at', 'bigint', (c) => c.notNull())
    .addColumn('event_key', 'text', (c) => c.notNull().unique())
    .execute();
  await db.schema.createIndex('follower_snapshots_member_platform').on('follower_snapshots').columns(['member_id', 'platform', 'recorded_at']).execute();
  await db.schema.createIndex('follower_snapshots_member_time').on('follower_snapshots').columns(['member_id', 'recorded_at']).execute();
  await db.schema.createIndex('follower_snapshots_group_time').on('follower_snapshots').columns(['group_id', 'recorded_at']).execute();

  // A group's follower total at the end of weeks that are over, kept so charts need not add it up again.
  await db.schema
    .createTable('follower_week_totals')
    .addColumn('group_id', 'integer', (c) => c.notNull().references('groups.id').onDelete('cascade'))
    .addColumn('week_end', 'text', (c) => c.notNull())
    .addColumn('total', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('follower_week_totals_pk', ['group_id', 'week_end'])
    .execute();

  await db.schema.alterTable('people').addColumn('main_platform', 'text').execute();
  await db.schema.alterTable('members').addColumn('hidden', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('members').addColumn('remind_at', 'text').execute();
  // The member's latest follower total (null until they report): what leaderboards start from.
  await db.schema.alterTable('members').addColumn('follower_total', 'integer').execute();
  await db.schema.alterTable('groups').addColumn('digest_cron', 'text', (c) => c.notNull().defaultTo('0 9 * * 1')).execute();
  await db.schema.alterTable('groups').addColumn('daily_digest_cron', 'text').execute();
  await db.schema.alterTable('groups').addColumn('week_start', 'integer', (c) => c.notNull().defaultTo(1)).execute();
  await db.schema.alterTable('groups').addColumn('created_by', 'text').execute();
  await db.schema.alterTable('scheduled_jobs').addColumn('failure_notified', 'integer', (c) => c.notNull().defaultTo(0)).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('scheduled_jobs').dropColumn('failure_notified').execute();
  for (const column of ['created_by', 'week_start', 'daily_digest_cron', 'digest_cron']) await db.schema.alterTable('groups').dropColumn(column).execute();
  for (const column of ['follower_total', 'remind_at', 'hidden']) await db.schema.alterTable('members').dropColumn(column).execute();
  await db.schema.alterTable('people').dropColumn('main_platform').execute();
  await db.schema.dropTable('follower_week_totals').execute();
  await db.schema.dropTable('follower_snapshots').execute();
}
