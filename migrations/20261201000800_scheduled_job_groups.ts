import { type Kysely, sql } from 'kysely';

/** Where each kind of job names its group, as of this migration: the table its subject is an id of. */
const SUBJECT_TABLES: [jobs: string[], table: string][] = [
  [['first-hour-close'], 'publications'],
  [['streak-nudge'], 'members'],
  [['sprint-start', 'sprint-end', 'sprint-results'], 'sprints'],
  [['challenge-wrap-up'], 'challenges'],
];
const GROUP_SUBJECT_JOBS = ['weekly-digest', 'daily-digest', 'followers-reminder'];
const UNFINISHED = ['pending', 'claimed', 'sent'];

/**
 * Each scheduled job names the group it works for, so that due jobs are claimed and run fairly
 * between groups. Jobs still to run are filled in from their subjects; finished ones are left
 * without a group, since nothing reads it for them.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('scheduled_jobs').addColumn('group_id', 'integer').execute();
  await db
    .updateTable('scheduled_jobs')
    .set({ group_id: sql`cast(subject as integer)` })
    .where('job', 'in', GROUP_SUBJECT_JOBS)
    .where('state', 'in', UNFINISHED)
    .execute();
  for (const [jobs, table] of SUBJECT_TABLES) {
    await db
      .updateTable('scheduled_jobs')
      .set({ group_id: sql`(select s.group_id from ${sql.table(table)} s where s.id = cast(scheduled_jobs.subject as integer))` })
      .where('job', 'in', jobs)
      .where('state', 'in', UNFINISHED)
      .execute();
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('scheduled_jobs').dropColumn('group_id').execute();
}
