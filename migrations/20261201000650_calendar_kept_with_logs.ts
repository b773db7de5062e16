import { type Kysely, sql } from 'kysely';

/**
 * The group's writing calendar is now kept in step with its logs, every day of it (not only the days
 * no log can reach any more): filled here from the logs, then changed in each log's transaction.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.deleteFrom('group_calendar_days').execute();
  await db
    .insertInto('group_calendar_days')
    .columns(['group_id', 'local_date', 'writers', 'words'])
    .expression(
      db
        .selectFrom('logs')
        .select(['group_id', 'local_date', sql<number>`count(distinct member_id)`.as('writers'), sql<number>`sum(words)`.as('words')])
        .groupBy(['group_id', 'local_date']),
    )
    .execute();
}

/** The earlier calendar kept only settled days and counted them again from the logs when missing. */
export async function down(db: Kysely<any>): Promise<void> {
  await db.deleteFrom('group_calendar_days').execute();
}
