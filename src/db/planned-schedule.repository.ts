import type { Group } from '../domain/group';
import type { PlannedSchedule } from '../domain/schedule';
import { fewShapedBatches } from './batches';
import type { Db } from './database';
import type { PlannedScheduleRow } from './planned-schedule.table';

/** What the planner needs of a group: when its posts go out, in which zone, since when. */
export type GroupSchedule = Pick<Group, 'id' | 'timezone' | 'digestCron' | 'dailyDigestCron' | 'createdAt'>;

export function toPlannedSchedule(row: PlannedScheduleRow): PlannedSchedule {
  return { job: row.job, subject: row.subject, schedule: row.schedule, plannedKey: row.planned_key, nextAt: row.next_at };
}

function groupSchedules(db: Db) {
  return db.selectFrom('groups').select(['id', 'timezone', 'digest_cron', 'daily_digest_cron', 'created_at']);
}

function toGroupSchedule(row: { id: number; timezone: string; digest_cron: string; daily_digest_cron: string | null; created_at: number }): GroupSchedule {
  return { id: row.id, timezone: row.timezone, digestCron: row.digest_cron, dailyDigestCron: row.daily_digest_cron, createdAt: row.created_at };
}

/** Where a page of due plans ends: the next page starts after it. */
export type PlanCursor = Pick<PlannedSchedule, 'nextAt' | 'job' | 'subject'>;

/** A page of the plans whose next run has come, in the order of `next_at` (off its index), after `cursor`. */
export async function findDuePlans(db: Db, now: number, limit: number, cursor?: PlanCursor): Promise<PlannedSchedule[]> {
  let query = db.selectFrom('planned_schedules').selectAll().where('next_at', '<=', now);
  if (cursor) query = query.where((eb) => eb(eb.refTuple('next_at', 'job', 'subject'), '>', eb.tuple(cursor.nextAt, cursor.job, cursor.subject)));
  const rows = await query.orderBy('next_at').orderBy('job').orderBy('subject').limit(limit).execute();
  return rows.map(toPlannedSchedule);
}

/** Every plan of these subjects for these jobs. */
export async function findPlansOf(db: Db, jobs: readonly string[], subjects: readonly string[]): Promise<PlannedSchedule[]> {
  const found: PlannedSchedule[] = [];
  for (const batch of fewShapedBatches(subjects)) {
    const rows = await db.selectFrom('planned_schedules').selectAll().where('job', 'in', [...jobs]).where('subject', 'in', batch).execute();
    found.push(...rows.map(toPlannedSchedule));
  }
  return found;
}

/** Records what was planned: a plan of the same job and subject is replaced. */
export async function savePlans(db: Db, plans: readonly PlannedSchedule[]): Promise<void> {
  for (const batch of fewShapedBatches(plans)) {
    await db
      .insertInto('planned_schedules')
      .values(batch.map((p) => ({ job: p.job, subject: p.subject, schedule: p.schedule, planned_key: p.plannedKey, next_at: p.nextAt })))
      .onConflict((oc) =>
        oc.columns(['job', 'subject']).doUpdateSet((eb) => ({
          schedule: eb.ref('excluded.schedule'),
          planned_key: eb.ref('excluded.planned_key'),
          next_at: eb.ref('excluded.next_at'),
        })),
      )
      .execute();
  }
}

/** Forgets plans that no longer apply (a daily digest turned off, a group that is gone). */
export async function deletePlans(db: Db, plans: readonly Pick<PlannedSchedule, 'job' | 'subject'>[]): Promise<void> {
  for (const plan of plans) await db.deleteFrom('planned_schedules').where('job', '=', plan.job).where('subject', '=', plan.subject).execute();
}

/** The schedules of these groups; a group that is gone is left out. */
export async function findGroupSchedules(db: Db, ids: readonly number[]): Promise<GroupSchedule[]> {
  const found: GroupSchedule[] = [];
  for (const batch of fewShapedBatches(ids)) found.push(...(await groupSchedules(db).where('id', 'in', batch).execute()).map(toGroupSchedule));
  return found;
}

/**
 * A page of the groups set up or changed at or after `since` (off the index of `updated_at`; every
 * group when `since` is undefined), by id after `afterId`.
 */
export async function findGroupSchedulesChangedSince(db: Db, since: number | undefined, afterId: number, limit: number): Promise<GroupSchedule[]> {
  let query = groupSchedules(db).where('id', '>', afterId);
  if (since !== undefined) query = query.where('updated_at', '>=', since);
  const rows = await query.orderBy('id').limit(limit).execute();
  return rows.map(toGroupSchedule);
}
