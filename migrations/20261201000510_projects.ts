import type { Kysely } from 'kysely';
import { withId } from '../src/db/migration-helpers';

/**
 * Members' writing projects, and which logs went to which project. A project's words are its logs'
 * words (a log edited or undone changes them, with no second copy to keep); `is_current` marks the
 * one a log goes to when no project is named.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await withId(db, db.schema.createTable('projects'))
    .addColumn('member_id', 'integer', (c) => c.notNull().references('members.id').onDelete('cascade'))
    .addColumn('group_id', 'integer', (c) => c.notNull().references('groups.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('name_key', 'text', (c) => c.notNull())
    .addColumn('target_words', 'integer')
    .addColumn('deadline', 'text')
    .addColumn('start_date', 'text', (c) => c.notNull())
    .addColumn('is_current', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('archived_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('projects_member_name').on('projects').columns(['member_id', 'name_key']).unique().execute();
  await db.schema.createIndex('projects_member_current').on('projects').columns(['member_id', 'is_current']).execute();

  await db.schema
    .createTable('project_logs')
    .addColumn('log_id', 'integer', (c) => c.primaryKey().references('logs.id').onDelete('cascade'))
    .addColumn('project_id', 'integer', (c) => c.notNull().references('projects.id').onDelete('cascade'))
    .execute();
  await db.schema.createIndex('project_logs_project').on('project_logs').columns(['project_id', 'log_id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('project_logs').execute();
  await db.schema.dropTable('projects').execute();
}
