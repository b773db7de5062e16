import type { Kysely } from 'kysely';

/**
 * What the digest planner last planned for each schedule (a group's weekly digest, daily digest,
 * followers reminder) and when it next fires, so a tick reads the due ones off one index instead of
 * working out every group's schedule. Groups changed since a tick are found by their `updated_at`.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('planned_schedules')
    .addColumn('job', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('schedule', 'text', (c) => c.notNull())
    .addColumn('planned_key', 'text', (c) => c.notNull())
    .addColumn('next_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('planned_schedules_pk', ['job', 'subject'])
    .execute();
  await db.schema.createIndex('planned_schedules_next').on('planned_schedules').columns(['next_at', 'job', 'subject']).execute();
  await db.schema.createIndex('groups_updated_at').on('groups').column('updated_at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('groups_updated_at').execute();
  await db.schema.dropTable('planned_schedules').execute();
}
