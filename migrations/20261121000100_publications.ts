import type { Kysely } from 'kysely';
import { withId } from '../src/db/migration-helpers';

/** Publications with their first-hour reads, opt-in readers, members' feeds, and durable scheduled jobs. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('groups').addColumn('read_window_minutes', 'integer', (c) => c.notNull().defaultTo(60)).execute();
  await db.schema.alterTable('groups').addColumn('fair_reads', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('groups').addColumn('fair_window', 'integer', (c) => c.notNull().defaultTo(5)).execute();
  await db.schema.alterTable('groups').addColumn('readers_role_id', 'text').execute();
  await db.schema.alterTable('members').addColumn('first_hour_reader', 'integer', (c) => c.notNull().defaultTo(0)).execute();

  await withId(db, db.schema.createTable('publications'))
    .addColumn('group_id', 'integer', (c) => c.notNull().references('groups.id').onDelete('cascade'))
    .addColumn('member_id', 'integer', (c) => c.notNull().references('members.id').onDelete('cascade'))
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('canonical_url', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('announced_at', 'bigint', (c) => c.notNull())
    .addColumn('window_ends_at', 'bigint', (c) => c.notNull())
    .addColumn('message_channel_id', 'text')
    .addColumn('message_id', 'text')
    .addColumn('last_edit_at', 'bigint')
    .addColumn('closed_at', 'bigint')
    .addUniqueConstraint('publications_once_per_group', ['group_id', 'canonical_url'])
    .execute();
  await db.schema.createIndex('publications_group_time').on('publications').columns(['group_id', 'announced_at']).execute();

  await withId(db, db.schema.createTable('reads'), 'reusable')
    .addColumn('publication_id', 'integer', (c) => c.notNull().references('publications.id').onDelete('cascade'))
    .addColumn('member_id', 'integer', (c) => c.notNull().references('members.id').onDelete('cascade'))
    .addColumn('read_at', 'bigint', (c) => c.notNull())
    .addColumn('first_hour', 'integer', (c) => c.notNull())
    .addUniqueConstraint('reads_once_per_member', ['publication_id', 'member_id'])
    .execute();
  await db.schema.createIndex('reads_member_time').on('reads').columns(['member_id', 'read_at']).execute();

  await withId(db, db.schema.createTable('feeds'))
    .addColumn('group_id', 'integer', (c) => c.notNull().references('groups.id').onDelete('cascade'))
    .addColumn('member_id', 'integer', (c) => c.notNull().references('members.id').onDelete('cascade'))
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('etag', 'text')
    .addColumn('last_modified', 'text')
    .addColumn('added_at', 'bigint', (c) => c.notNull())
    .addColumn('next_poll_at', 'bigint', (c) => c.notNull())
    .addColumn('failures', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('first_failure_at', 'bigint')
    .addColumn('last_error', 'text')
    .addColumn('failure_notified', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('lease_owner', 'text')
    .addColumn('lease_until', 'bigint')
    .addUniqueConstraint('feeds_once_per_member', ['member_id', 'url'])
    .execute();
  await db.schema.createIndex('feeds_due').on('feeds').column('next_poll_at').execute();

  await db.schema
    .createTable('feed_items')
    .addColumn('feed_id', 'integer', (c) => c.notNull().references('feeds.id').onDelete('cascade'))
    .addColumn('item_key', 'text', (c) => c.notNull())
    .addColumn('seen_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('feed_items_pk', ['feed_id', 'item_key'])
    .execute();

  await withId(db, db.schema.createTable('scheduled_jobs'))
    .addColumn('job', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('due_at', 'bigint', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('claimed_by', 'text')
    .addColumn('claimed_at', 'bigint')
    .addColumn('message_id', 'text')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_error', 'text')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('scheduled_jobs_once', ['job', 'subject', 'period'])
    .execute();
  await db.schema.createIndex('scheduled_jobs_due').on('scheduled_jobs').columns(['state', 'due_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['scheduled_jobs', 'feed_items', 'feeds', 'reads', 'publications']) await db.schema.dropTable(table).execute();
  await db.schema.alterTable('members').dropColumn('first_hour_reader').execute();
  for (const column of ['readers_role_id', 'fair_window', 'fair_reads', 'read_window_minutes'])
    await db.schema.alterTable('groups').dropColumn(column).execute();
}
