import type { Kysely } from 'kysely';
import { withId } from '../src/db/migration-helpers';

/**
 * Responses: what a reader tells an author about an announced article, one per member and article.
 * `sent_at` moves with every replacement (the hourly limit counts sendings), `first_sent_at` never
 * does (a replacement is allowed for a day after it). Where a response was posted is kept, so a
 * replacement edits it in place. The running totals gain the responses each member gave and
 * received; authors and groups can turn responses off.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await withId(db, db.schema.createTable('responses'))
    .addColumn('publication_id', 'integer', (c) => c.notNull().references('publications.id').onDelete('cascade'))
    .addColumn('member_id', 'integer', (c) => c.notNull().references('members.id').onDelete('cascade'))
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('delivery', 'text', (c) => c.notNull())
    .addColumn('first_sent_at', 'bigint', (c) => c.notNull())
    .addColumn('sent_at', 'bigint', (c) => c.notNull())
    .addColumn('message_channel_id', 'text')
    .addColumn('message_thread_id', 'text')
    .addColumn('message_id', 'text')
    .addColumn('event_key', 'text', (c) => c.notNull().unique())
    .addUniqueConstraint('responses_publication_member', ['publication_id', 'member_id'])
    .execute();
  await db.schema.createIndex('responses_member_sent').on('responses').columns(['member_id', 'sent_at']).execute();

  await db.schema.alterTable('publications').addColumn('response_thread_id', 'text').execute();
  // /responses and the received side of the balance read an author's articles by member.
  await db.schema.createIndex('publications_member_announced').on('publications').columns(['member_id', 'announced_at']).execute();
  await db.schema.alterTable('members').addColumn('responses_off', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('groups').addColumn('responses_enabled', 'integer', (c) => c.notNull().defaultTo(1)).execute();
  await db.schema.alterTable('member_totals').addColumn('responses_given', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('member_totals').addColumn('responses_received', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema
    .createIndex('member_totals_responses')
    .on('member_totals')
    .columns(['group_id', 'period', 'responses_given desc', 'member_id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('member_totals_responses').execute();
  await db.schema.alterTable('member_totals').dropColumn('responses_received').execute();
  await db.schema.alterTable('member_totals').dropColumn('responses_given').execute();
  await db.schema.alterTable('groups').dropColumn('responses_enabled').execute();
  await db.schema.alterTable('members').dropColumn('responses_off').execute();
  await db.schema.dropIndex('publications_member_announced').execute();
  await db.schema.alterTable('publications').dropColumn('response_thread_id').execute();
  await db.schema.dropTable('responses').execute();
}
