import type { Kysely } from 'kysely';
import { withId } from '../src/db/migration-helpers';

/**
 * Group challenges over dates of the group's calendar, and the members who joined each. Progress is
 * read from the logs, publications and running totals; the wrap-up is a scheduled job.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await withId(db, db.schema.createTable('challenges'))
    .addColumn('group_id', 'integer', (c) => c.notNull().references('groups.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('name_key', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('target', 'bigint', (c) => c.notNull())
    .addColumn('start_date', 'text', (c) => c.notNull())
    .addColumn('end_date', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('challenges_group_name').on('challenges').columns(['group_id', 'name_key']).unique().execute();
  await db.schema.createIndex('challenges_group_end').on('challenges').columns(['group_id', 'end_date']).execute();

  await db.schema
    .createTable('challenge_members')
    .addColumn('challenge_id', 'integer', (c) => c.notNull().references('challenges.id').onDelete('cascade'))
    .addColumn('member_id', 'integer', (c) => c.notNull().references('members.id').onDelete('cascade'))
    .addColumn('joined_on', 'text', (c) => c.notNull())
    .addColumn('joined_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('challenge_members_pk', ['challenge_id', 'member_id'])
    .execute();
  await db.schema.createIndex('challenge_members_member').on('challenge_members').column('member_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('challenge_members').execute();
  await db.schema.dropTable('challenges').execute();
}
