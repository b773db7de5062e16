import { type Kysely, sql } from 'kysely';

/**
 * Each cached streak keeps its member's group, so a board reads a group's longest streaks off one
 * index, and a digest its streaks in one range, instead of looking up every member's. Boards leave
 * out a group's hidden members, found by an index of their own.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('streaks').addColumn('group_id', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await sql`update streaks set group_id = (select members.group_id from members where members.id = streaks.member_id)`.execute(db);
  await db.schema.createIndex('streaks_group_length').on('streaks').columns(['group_id', 'current', 'longest']).execute();
  await db.schema.createIndex('members_group_hidden').on('members').columns(['group_id', 'hidden']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('members_group_hidden').execute();
  await db.schema.dropIndex('streaks_group_length').execute();
  await db.schema.alterTable('streaks').dropColumn('group_id').execute();
}
