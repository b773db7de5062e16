import { type ExpressionBuilder, sql } from 'kysely';
import { fewShapedBatches } from './batches';
import type { Database, Db } from './database';
import type { JobState, ScheduledJobRow } from './scheduled-job.table';

export interface JobKey {
  job: string;
  subject: string;
  /** The local occurrence it is for (a wall time such as '2026-03-16T09:00', or a date), or '' for one-off work. */
  period: string;
}

/** A job's key and the group it works for: due jobs are shared out fairly between groups. */
export interface GroupJobKey extends JobKey {
  groupId: number;
}

/** Adds a job unless one with the same key exists; true when added. */
export async function scheduleJob(db: Db, key: GroupJobKey, dueAt: number, now: number, state: JobState = 'pending'): Promise<boolean> {
  const { groupId, ...unique } = key;
  const row = await db
    .insertInto('scheduled_jobs')
    .values({ ...unique, group_id: groupId, due_at: dueAt, state, claimed_by: null, claimed_at: null, message_id: null, last_error: null, updated_at: now })
    .onConflict((oc) => oc.columns(['job', 'subject', 'period']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

/** A job to add, unless one with the same key exists. */
export interface NewJob extends GroupJobKey {
  dueAt: number;
  state: JobState;
}

/**
 * Adds many jobs, a few fixed-size multi-row inserts rather than one statement a job; those whose
 * key exists are left as they are. Run it in a transaction to add them all or none.
 */
export async function scheduleJobs(db: Db, jobs: readonly NewJob[], now: number): Promise<void> {
  for (const batch of fewShapedBatches(jobs)) {
    await db
      .insertInto('scheduled_jobs')
      .values(
        batch.map((j) => ({
          job: j.job,
          subject: j.subject,
          period: j.period,
          group_id: j.groupId,
          due_at: j.dueAt,
          state: j.state,
          claimed_by: null,
          claimed_at: null,
          message_id: null,
          last_error: null,
          updated_at: now,
        })),
      )
      .onConflict((oc) => oc.columns(['job', 'subject', 'period']).doNothing())
      .execute();
  }
}

/** Removes a job that is no longer wanted (its subject was taken back before it was due). */
export async function deleteJob(db: Db, key: JobKey): Promise<void> {
  await db.deleteFrom('scheduled_jobs').where('job', '=', key.job).where('subject', '=', key.subject).where('period', '=', key.period).execute();
}

/** A row this process claimed: who claimed it and when, which together name this one claim of it. */
export type ClaimedJob = ScheduledJobRow & { claimed_by: string; claimed_at: number };

/**
 * Claims due work for `owner`: jobs whose time has come and that nobody holds (pending, or released
 * for retry after they posted), and jobs whose claim went stale (their process died). A row is only
 * ever claimed once due, so waiting for `due_at` costs a stale claim nothing and makes a released
 * job, posted or not, wait out its backoff.
 *
 * Groups take turns: each due job has a place in its group's queue, counting the group's jobs
 * ahead of it that are still to finish, claimed by any process or not, and the claim takes the
 * first places of every group before the second places of any (the earliest due first within a
 * place). So one group's backlog, waiting or in hand, never pushes another group's due job behind
 * it. The claim is one conditional update of those rows, and the update checks each row again as
 * it writes it, so when processes race for a row, exactly one wins it (on Postgres the loser
 * re-reads the row the winner wrote, and passes it by). The rows come back in the order taken.
 */
export async function claimDueJobs(
  db: Db,
  options: { now: number; staleBefore: number; owner: string; limit: number; jobs?: string[] },
): Promise<ClaimedJob[]> {
  const { now, staleBefore, owner, limit, jobs } = options;
  if (jobs?.length === 0 || limit <= 0) return [];
  const unfinishedAndDue = (eb: ExpressionBuilder<Database, 'scheduled_jobs'>) =>
    eb.and([eb('state', 'in', ['pending', 'claimed', 'sent']), eb('due_at', '<=', now), ...(jobs ? [eb('job', 'in', jobs)] : [])]);
  const unheld = (eb: ExpressionBuilder<Database, 'scheduled_jobs'>) => eb.or([eb('claimed_at', 'is', null), eb('claimed_at', '<', staleBefore)]);
  const inGroupQueues = db
    .selectFrom('scheduled_jobs')
    .select(['id', 'due_at', 'claimed_at', sql<number>`row_number() over (partition by group_id order by due_at, id)`.as('place')])
    .where(unfinishedAndDue);
  const fairest = db
    .selectFrom(inGroupQueues.as('queued'))
    .select('queued.id')
    .where((eb) => eb.or([eb('queued.claimed_at', 'is', null), eb('queued.claimed_at', '<', staleBefore)]))
    .orderBy('queued.place')
    .orderBy('queued.due_at')
    .orderBy('queued.id')
    .limit(limit);
  const rows = await db
    .updateTable('scheduled_jobs')
    .set({
      state: sql<JobState>`case when state = 'sent' then 'sent' else 'claimed' end`,
      claimed_by: owner,
      claimed_at: now,
      attempts: sql<number>`attempts + 1`,
      updated_at: now,
    })
    .where('id', 'in', fairest)
    .where((eb) => eb.and([unfinishedAndDue(eb), unheld(eb)]))
    .returningAll()
    .execute();
  return inTurns(rows).map((row) => ({ ...row, claimed_by: owner, claimed_at: now }));
}

/** Rows in the order groups take turns: each group's earliest due, then each group's next, and so on. */
function inTurns<T extends Pick<ScheduledJobRow, 'id' | 'group_id' | 'due_at'>>(rows: readonly T[]): T[] {
  const byDue = (a: T, b: T) => a.due_at - b.due_at || a.id - b.id;
  const taken = new Map<number | null, number>();
  const placed = [...rows].sort(byDue).map((row) => {
    const place = (taken.get(row.group_id) ?? 0) + 1;
    taken.set(row.group_id, place);
    return { row, place };
  });
  return placed.sort((a, b) => a.place - b.place || byDue(a.row, b.row)).map(({ row }) => row);
}

/**
 * Still this claim of the row. The owner alone is not enough: the same process may claim the row
 * again after a run of it was abandoned at its deadline, and that run's late writes must not land.
 */
function stillClaimed(eb: ExpressionBuilder<Database, 'scheduled_jobs'>, job: ClaimedJob) {
  return eb.and([eb('claimed_by', '=', job.claimed_by), eb('claimed_at', '=', job.claimed_at)]);
}

/**
 * The job posted its message: a retry after a crash must not post again. A run abandoned at its
 * deadline may still post; while the row waits for its retry, unclaimed, that post is recorded too,
 * so the retry does not post a second one.
 */
export async function markJobSent(db: Db, job: ClaimedJob, messageId: string, now: number): Promise<void> {
  await db
    .updateTable('scheduled_jobs')
    .set({ state: 'sent', message_id: messageId, updated_at: now })
    .where('id', '=', job.id)
    .where((eb) => eb.or([stillClaimed(eb, job), eb.and([eb('state', '=', 'pending'), eb('claimed_at', 'is', null), eb('message_id', 'is', null)])]))
    .execute();
}

/**
 * Renews this process's claim just before it runs the job, so a claim stays fresh while its batch
 * waits its turn. False when the claim went stale meanwhile and another process took the job over.
 */
export async function renewClaim(db: Db, job: ClaimedJob, now: number): Promise<boolean> {
  const renewed = await db
    .updateTable('scheduled_jobs')
    .set({ claimed_at: now, updated_at: now })
    .where('id', '=', job.id)
    .where((eb) => stillClaimed(eb, job))
    .executeTakeFirst();
  if (renewed.numUpdatedRows === 0n) return false;
  job.claimed_at = now;
  return true;
}

export async function finishJob(db: Db, job: ClaimedJob, state: 'done' | 'skipped', now: number): Promise<void> {
  await db
    .updateTable('scheduled_jobs')
    .set({ state, updated_at: now })
    .where('id', '=', job.id)
    .where((eb) => stillClaimed(eb, job))
    .execute();
}

/**
 * Gives a failed job back, unclaimed, to be tried again at `retryAt`. A job that already posted
 * stays 'sent' (read from the row, which a late post may just have written), so the retry finishes
 * its remaining steps without posting twice.
 */
export async function releaseJob(db: Db, job: ClaimedJob, error: string, retryAt: number, now: number): Promise<void> {
  await db
    .updateTable('scheduled_jobs')
    .set({
      state: sql<JobState>`case when message_id is null then 'pending' else 'sent' end`,
      due_at: retryAt,
      claimed_at: null,
      last_error: error.slice(0, 500),
      updated_at: now,
    })
    .where('id', '=', job.id)
    .where((eb) => stillClaimed(eb, job))
    .execute();
}

export async function markFailureNotified(db: Db, id: number): Promise<void> {
  await db.updateTable('scheduled_jobs').set({ failure_notified: 1 }).where('id', '=', id).execute();
}

/**
 * Gives a claim back when the process stops, so another process can take the job at once instead of
 * waiting for the claim to go stale. A job that never started does not count as an attempt; one
 * stopped while running does (it may have posted), so its retry looks for that post first. A job that
 * posted stays 'sent'. False when the claim was no longer this process's.
 */
export async function releaseClaim(db: Db, job: ClaimedJob, started: boolean, now: number): Promise<boolean> {
  const released = await db
    .updateTable('scheduled_jobs')
    .set({
      state: sql<JobState>`case when message_id is null then 'pending' else 'sent' end`,
      claimed_at: null,
      attempts: started ? sql<number>`attempts` : sql<number>`attempts - 1`,
      updated_at: now,
    })
    .where('id', '=', job.id)
    .where((eb) => stillClaimed(eb, job))
    .executeTakeFirst();
  return released.numUpdatedRows > 0n;
}
