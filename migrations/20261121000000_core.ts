import type { Kysely } from 'kysely';
import { withId } from '../src/db/migration-helpers';

/** Groups, people and their memberships, daily logs, cached streaks, vacations, milestones, handled events. */
export async function up(db: Kysely<any>): Promise<void> {
  await withId(db, db.schema.createTable('groups'))
    .addColumn('platform', 'text', (c) => c.notNull())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('channel_id', 'text', (c) => c.notNull())
    .addColumn('announce_channel_id', 'text', (c) => c.notNull())
    .addColumn('timezone', 'text', (c) => c.notNull())
    .addColumn('backfill_days', 'integer', (c) => c.notNull().defaultTo(2))
    .addColumn('log_pattern', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('groups_channel_unique', ['platform', 'workspace_id', 'channel_id'])
    .execute();

  await db.schema
    .createTable('group_admins')
    .addColumn('group_id', 'integer', (c) => c.notNull().references('groups.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('added_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('group_admins_pk', ['group_id', 'user_id'])
    .execute();

  await withId(db, db.schema.createTable('people'))
    .addColumn('platform', 'text', (c) => c.notNull())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('timezone', 'text')
    .addColumn('rollover_hour', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('people_user_unique', ['platform', 'workspace_id', 'user_id'])
    .execute();

  await withId(db, db.schema.createTable('members'))
    .addColumn('group_id', 'integer', (c) => c.notNull().references('groups.id').onDelete('cascade'))
    .addColumn('person_id', 'integer', (c) => c.notNull().references('people.id').onDelete('cascade'))
    .addColumn('joined_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('members_group_person_unique', ['group_id', 'person_id'])
    .execute();
  await db.schema.createIndex('members_person').on('members').column('person_id').execute();

  // Log ids stay inside the bot, so SQLite may reuse them; logs are the busiest insert.
  await withId(db, db.schema.createTable('logs'), 'reusable')
    .addColumn('member_id', 'integer', (c) => c.notNull().references('members.id').onDelete('cascade'))
    .addColumn('group_id', 'integer', (c) => c.notNull().references('groups.id').onDelete('cascade'))
    .addColumn('local_date', 'text', (c) => c.notNull())
    .addColumn('zone', 'text', (c) => c.notNull())
    .addColumn('rollover_hour', 'integer', (c) => c.notNull())
    .addColumn('words', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('minutes', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('url', 'text')
    .addColumn('note', 'text')
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('event_key', 'text', (c) => c.notNull().unique())
    .addColumn('message_id', 'text')
    .addColumn('logged_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('logs_member_date').on('logs').columns(['member_id', 'local_date']).execute();
  await db.schema.createIndex('logs_group_date').on('logs').columns(['group_id', 'local_date']).execute();
  await db.schema.createIndex('logs_message').on('logs').columns(['group_id', 'message_id']).execute();

  await db.schema
    .createTable('streaks')
    .addColumn('member_id', 'integer', (c) => c.primaryKey().references('members.id').onDelete('cascade'))
    .addColumn('current', 'integer', (c) => c.notNull())
    .addColumn('longest', 'integer', (c) => c.notNull())
    .addColumn('freezes', 'integer', (c) => c.notNull())
    .addColumn('run', 'integer', (c) => c.notNull())
    .addColumn('start_date', 'text')
    .addColumn('last_date', 'text')
    .addColumn('covered_until', 'bigint')
    .addColumn('last_start', 'bigint')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await withId(db, db.schema.createTable('vacations'))
    .addColumn('member_id', 'integer', (c) => c.notNull().references('members.id').onDelete('cascade'))
    .addColumn('start_date', 'text', (c) => c.notNull())
    .addColumn('end_date', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('vacations_member').on('vacations').column('member_id').execute();

  await withId(db, db.schema.createTable('milestones'))
    .addColumn('member_id', 'integer', (c) => c.notNull().references('members.id').onDelete('cascade'))
    .addColumn('group_id', 'integer', (c) => c.notNull().references('groups.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('value', 'integer', (c) => c.notNull())
    .addColumn('period_key', 'text', (c) => c.notNull())
    .addColumn('reached_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('milestones_once', ['member_id', 'kind', 'value', 'period_key'])
    .execute();

  await db.schema
    .createTable('handled_events')
    .addColumn('event_key', 'text', (c) => c.primaryKey())
    .addColumn('handled_at', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['handled_events', 'milestones', 'vacations', 'streaks', 'logs', 'members', 'people', 'group_admins', 'groups']) {
    await db.schema.dropTable(table).execute();
  }
}
