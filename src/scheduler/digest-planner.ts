import type { Db } from '../db/database';
import { listMembersWithReminders } from '../db/member.repository';
import {
  deletePlans,
  findDuePlans,
  findGroupSchedules,
  findGroupSchedulesChangedSince,
  findPlansOf,
  type GroupSchedule,
  type PlanCursor,
  savePlans,
} from '../db/planned-schedule.repository';
import { type NewJob, scheduleJobs } from '../db/scheduled-job.repository';
import { findStreaks } from '../db/streak.repository';
import { JOB_NAMES } from '../domain/job-names';
import { addDays, dayEnd, localDateOf } from '../domain/local-date';
import { memberCalendar } from '../domain/member';
import { CATCH_UP_MS, instantOfWallTime, latestOccurrence, nextOccurrences, occurrencesBetween, type PlannedSchedule } from '../domain/schedule';
import { EMPTY_STREAK } from '../domain/streak';
import type { Logger } from '../logger';
import { yieldToLoop } from './yield-to-loop';

const LOOK_BACK_MS = 8 * 24 * 3_600_000;
/** The default nudge: this long before the member's writing day ends. */
const DEFAULT_NUDGE_BEFORE_END_MS = 3 * 3_600_000;
/** The jobs planned from a group's own schedules, each with a row of planned_schedules. */
const GROUP_JOBS = [JOB_NAMES.weeklyDigest, JOB_NAMES.dailyDigest, JOB_NAMES.followersReminder];
/** Members looked at for a nudge between two turns of the event loop. */
const NUDGES_BETWEEN_TURNS = 50;
/** Rows read at a time. */
const PAGE = 500;
/**
 * Groups changed this long before the last look are looked at again: a change written by a process
 * whose clock runs behind, or committed after it was stamped, is still seen. Unchanged ones cost a
 * comparison.
 */
const CHANGE_MARGIN_MS = 2 * 60_000;

/** A group to plan and what was planned for it; `only` limits the look to the schedules that came due. */
interface GroupToPlan {
  group?: GroupSchedule;
  plans: Map<string, PlannedSchedule>;
  only?: Set<string>;
}

/** What one round of planning writes, all in one transaction. */
interface PlanWrites {
  jobs: NewJob[];
  plans: PlannedSchedule[];
  forgotten: Pick<PlannedSchedule, 'job' | 'subject'>[];
  /** Nudges planned, remembered once written. */
  nudged: [memo: string, day: string][];
}

/**
 * Turns each group's schedules into rows of scheduled_jobs, one per (job, group, local occurrence):
 * the unique key is what lets every process plan the same rows and only one post each. What was
 * planned for each schedule, and when it next fires, is kept in planned_schedules, so a tick reads
 * only the schedules that came due and the groups changed since it last looked; the rest cost
 * nothing. A schedule planned for the first time records missed occurrences since the group was set
 * up (up to a week back): the latest is caught up if it is less than 12 hours late, the others
 * skipped. A round writes its rows in one transaction and lets the event loop turn between groups.
 */
export class DigestPlanner {
  /** When this process last looked for changed groups; undefined until it has looked at them all once. */
  private lookedAt?: number;
  /** Per member: the writing day whose nudge is planned. */
  private readonly nudgedOn = new Map<string, string>();

  constructor(private readonly deps: { db: Db; logger: Logger }) {}

  async plan(now: number): Promise<void> {
    const { db, logger } = this.deps;
    const writes: PlanWrites = { jobs: [], plans: [], forgotten: [], nudged: [] };
    for (const [id, { group, plans, only }] of await this.schedulesToPlan(now)) {
      await yieldToLoop();
      if (!group) {
        // The group is gone: its plans with it.
        for (const job of plans.keys()) writes.forgotten.push({ job, subject: String(id) });
        continue;
      }
      const wanted = (job: string) => !only || only.has(job);
      try {
        if (wanted(JOB_NAMES.weeklyDigest)) this.planCron(JOB_NAMES.weeklyDigest, group, group.digestCron, plans.get(JOB_NAMES.weeklyDigest), now, writes);
        if (wanted(JOB_NAMES.dailyDigest)) {
          if (group.dailyDigestCron) this.planCron(JOB_NAMES.dailyDigest, group, group.dailyDigestCron, plans.get(JOB_NAMES.dailyDigest), now, writes);
          else if (plans.has(JOB_NAMES.dailyDigest)) writes.forgotten.push({ job: JOB_NAMES.dailyDigest, subject: String(id) });
        }
        if (wanted(JOB_NAMES.followersReminder)) this.planFollowersReminder(group, plans.get(JOB_NAMES.followersReminder), now, writes);
      } catch (error) {
        logger.error({ err: error, group: id }, 'planning the digests of a group failed');
      }
    }
    await this.planNudges(now, writes);
    if (writes.jobs.length || writes.plans.length || writes.forgotten.length) {
      // All or nothing: a plan moves on only with the rows it promised. Nothing but these inserts
      // runs inside it, not even a turn of the event loop: on SQLite that would hold the write lock
      // while other work runs, and another connection waiting for it blocks the whole process.
      await db.transaction().execute(async (trx) => {
        await scheduleJobs(trx, writes.jobs, now);
        await savePlans(trx, writes.plans);
        await deletePlans(trx, writes.forgotten);
      });
    }
    for (const [memo, day] of writes.nudged) this.nudgedOn.set(memo, day);
    this.lookedAt = now;
  }

  /**
   * By group id: the groups set up or changed since the last look (every group, the first time),
   * with all their plans, and the groups with a schedule that came due, with only those plans
   * (`only`). A group that is gone has no `group`.
   */
  private async schedulesToPlan(now: number): Promise<Map<number, GroupToPlan>> {
    const { db } = this.deps;
    const toPlan = new Map<number, GroupToPlan>();
    const since = this.lookedAt === undefined ? undefined : Math.min(this.lookedAt, now) - CHANGE_MARGIN_MS;
    for (let afterId = 0; ; ) {
      const page = await findGroupSchedulesChangedSince(db, since, afterId, PAGE);
      for (const group of page) toPlan.set(group.id, { group, plans: new Map() });
      for (const plan of await findPlansOf(db, GROUP_JOBS, page.map((g) => String(g.id)))) toPlan.get(Number(plan.subject))!.plans.set(plan.job, plan);
      if (page.length < PAGE) break;
      afterId = page.at(-1)!.id;
      await yieldToLoop();
    }
    const due = new Map<number, GroupToPlan>();
    for (let cursor: PlanCursor | undefined; ; ) {
      const page = await findDuePlans(db, now, PAGE, cursor);
      for (const plan of page) {
        const id = Number(plan.subject);
        if (toPlan.has(id)) continue;
        const entry = due.get(id) ?? { plans: new Map(), only: new Set() };
        entry.plans.set(plan.job, plan);
        entry.only!.add(plan.job);
        due.set(id, entry);
      }
      if (page.length < PAGE) break;
      cursor = page.at(-1)!;
      await yieldToLoop();
    }
    for (const group of await findGroupSchedules(db, [...due.keys()])) due.get(group.id)!.group = group;
    for (const [id, entry] of due) toPlan.set(id, entry);
    return toPlan;
  }

  private planCron(job: string, group: GroupSchedule, cron: string, known: PlannedSchedule | undefined, now: number, writes: PlanWrites): void {
    const schedule = `${cron}|${group.timezone}`;
    if (known && known.schedule === schedule && now < known.nextAt) return;
    const subject = String(group.id);
    const latest = latestOccurrence(cron, group.timezone, now);
    // A schedule just changed: its past occurrences were never promised, so none is posted late.
    const changed = known !== undefined && known.schedule !== schedule;
    // Occurrences since the one that came due (several, after downtime), or for a new schedule since the group was set up.
    const after = known ? known.nextAt - 1 : group.createdAt;
    const between = changed ? [] : occurrencesBetween(cron, group.timezone, Math.max(after, now - LOOK_BACK_MS), now, 10);
    const occurrences = between.length ? between : [latest];
    for (const occurrence of occurrences) {
      if (occurrence.at < group.createdAt || occurrence.key === known?.plannedKey) continue;
      const catchUp = !changed && occurrence === occurrences.at(-1) && now - occurrence.at <= CATCH_UP_MS;
      writes.jobs.push({ job, subject, period: occurrence.key, groupId: group.id, dueAt: occurrence.at, state: catchUp ? 'pending' : 'skipped' });
    }
    const [next] = nextOccurrences(cron, group.timezone, now, 1);
    writes.plans.push({ job, subject, schedule, plannedKey: latest.key, nextAt: next!.at });
  }

  /** The reminder to report followers goes out a day before the weekly digest, at the same local time. */
  private planFollowersReminder(group: GroupSchedule, known: PlannedSchedule | undefined, now: number, writes: PlanWrites): void {
    const job = JOB_NAMES.followersReminder;
    const schedule = `${group.digestCron}|${group.timezone}`;
    if (known && known.schedule === schedule && now < known.nextAt) return;
    const [next] = nextOccurrences(group.digestCron, group.timezone, now, 1);
    if (!next) return;
    const subject = String(group.id);
    const reminderKey = `${addDays(next.key.slice(0, 10), -1)}T${next.key.slice(11)}`;
    const at = instantOfWallTime(reminderKey, group.timezone);
    if (now >= at && at >= group.createdAt) {
      const state = now - at <= CATCH_UP_MS ? 'pending' : 'skipped';
      writes.jobs.push({ job, subject, period: next.key, groupId: group.id, dueAt: at, state });
    }
    // Nothing changes until the reminder is due, or, once it is planned, until the digest itself goes out.
    writes.plans.push({ job, subject, schedule, plannedKey: next.key, nextAt: now >= at ? next.at : at });
  }

  /** A nudge for each member who asked, whose streak (2+ days) is waiting for today's writing. */
  private async planNudges(now: number, writes: PlanWrites): Promise<void> {
    const { db } = this.deps;
    const members = await listMembersWithReminders(db);
    if (members.length === 0) return;
    const groups = new Map((await findGroupSchedules(db, [...new Set(members.map((m) => m.groupId))])).map((g) => [g.id, g]));
    const states = await findStreaks(db, members.map((m) => m.id));
    for (const [index, member] of members.entries()) {
      // Working out each member's day costs a little: the loop turns every few dozen.
      if (index % NUDGES_BETWEEN_TURNS === NUDGES_BETWEEN_TURNS - 1) await yieldToLoop();
      const group = groups.get(member.groupId);
      if (!group || !member.remindAt) continue;
      const calendar = memberCalendar(member, group.timezone);
      const today = localDateOf(now, calendar);
      const memo = `${JOB_NAMES.streakNudge}:${member.id}`;
      if (this.nudgedOn.get(memo) === today) continue;
      const state = states.get(member.id) ?? EMPTY_STREAK;
      // Not worth a row: no streak to keep, or today already written.
      if (state.current < 2 || (state.lastDate !== null && state.lastDate >= today)) continue;
      const end = dayEnd(today, calendar);
      const at = member.remindAt === 'auto' ? end - DEFAULT_NUDGE_BEFORE_END_MS : this.nudgeInstant(today, member.remindAt, calendar.zone, calendar.rolloverHour);
      if (now < at || now >= end) continue;
      writes.jobs.push({ job: JOB_NAMES.streakNudge, subject: String(member.id), period: today, groupId: group.id, dueAt: at, state: 'pending' });
      writes.nudged.push([memo, today]);
    }
  }

  /** An 'HH:MM' within the writing day `today`: after midnight but before the rollover hour, it falls on the next date. */
  private nudgeInstant(today: string, time: string, zone: string, rolloverHour: number): number {
    const hour = Number(time.slice(0, 2));
    const date = hour < rolloverHour ? addDays(today, 1) : today;
    return instantOfWallTime(`${date}T${time}`, zone);
  }
}
