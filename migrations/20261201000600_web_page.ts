import type { Kysely } from 'kysely';

/**
 * The group's web page: who may open it (`groups.dashboard`), the group's link token (kept only as its
 * SHA-256, with the salt it is derived from), the deployment's key the tokens are derived with when
 * DASHBOARD_SECRET is unset, members hidden from the page only, and the group's writing calendar for
 * days no log can be added to any more (so a page reads the last few days from `logs`, not half a year).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('groups').addColumn('dashboard', 'text', (c) => c.notNull().defaultTo('private')).execute();
  await db.schema.alterTable('members').addColumn('page_hidden', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.createIndex('members_page_hidden').on('members').columns(['group_id', 'page_hidden']).execute();

  await db.schema
    .createTable('page_tokens')
    .addColumn('group_id', 'integer', (c) => c.primaryKey().references('groups.id').onDelete('cascade'))
    .addColumn('salt', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('page_secrets')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('secret', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('group_calendar_days')
    .addColumn('group_id', 'integer', (c) => c.notNull().references('groups.id').onDelete('cascade'))
    .addColumn('local_date', 'text', (c) => c.notNull())
    .addColumn('writers', 'integer', (c) => c.notNull())
    .addColumn('words', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('group_calendar_days_pk', ['group_id', 'local_date'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('group_calendar_days').execute();
  await db.schema.dropTable('page_secrets').execute();
  await db.schema.dropTable('page_tokens').execute();
  await db.schema.dropIndex('members_page_hidden').execute();
  await db.schema.alterTable('members').dropColumn('page_hidden').execute();
  await db.schema.alterTable('groups').dropColumn('dashboard').execute();
}
