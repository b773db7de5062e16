import type { Db } from '../db/database';
import { listAllGroups } from '../db/group.repository';
import { listMembersWithReminders } from '../db/member.repository';
import { scheduleJob } from '../db/scheduled-job.repository';
import { findStreaks } from '../db/streak.repository';
import type { Group } from '../domain/group';
import { JOB_NAMES } from '../domain/job-names';
import { addDays, dayEnd, localDateOf } from '../domain/local-date';
import { memberCalendar } from '../domain/member';
import { CATCH_UP_MS, instantOfWallTime, latestOccurrence, nextOccurrences, occurrencesBetween } from '../domain/schedule';
import { EMPTY_STREAK } from '../domain/streak';
import type { Logger } from '../logger';

const LOOK_BACK_MS = 8 * 24 * 3_600_000;
/** The default nudge: this long before the member's writing day ends. */
const DEFAULT_NUDGE_BEFORE_END_MS = 3 * 3_600_000;

/**
 * Turns each group's schedules into rows of scheduled_jobs, one per (job, group, local occurrence):
 * the unique key is what lets every process plan the same rows and only one post each. The first time
 * this process looks at a schedule, missed occurrences since the group was set up (up to a week back)
 * are recorded too: the latest is caught up if it is less than 12 hours late, the others skipped.
 */
export class DigestPlanner {
  /**
   * Per job and subject: the schedule last planned (expression and zone), the occurrence planned, and
   * when the next one is due. Until then there is nothing new to plan, so most ticks cost no work.
   */
  private readonly planned = new Map<string, { schedule: string; key: string; nextAt: number }>();

  constructor(private readonly deps: { db: Db; logger: Logger }) {}

  async plan(now: number): Promise<void> {
    const groups = await listAllGroups(this.deps.db);
    for (const group of groups) {
      try {
        await this.planCron(JOB_NAMES.weeklyDigest, group, group.digestCron, now);
        if (group.dailyDigestCron) await this.planCron(JOB_NAMES.dailyDigest, group, group.dailyDigestCron, now);
        await this.planFollowersReminder(group, now);
      } catch (error) {
        this.deps.logger.error({ err: error, group: group.id }, 'planning the digests of a group failed');
      }
    }
    await this.planNudges(new Map(groups.map((g) => [g.id, g])), now);
  }

  private async planCron(job: string, group: Group, cron: string, now: number): Promise<void> {
    const memo = `${job}:${group.id}`;
    const schedule = `${cron}|${group.timezone}`;
    const known = this.planned.get(memo);
    if (known && known.schedule === schedule && now < known.nextAt) return;
    const latest = latestOccurrence(cron, group.timezone, now);
    // A schedule just changed: its past occurrences were never promised, so none is posted late.
    const changed = known !== undefined && known.schedule !== schedule;
    const occurrences = known ? [latest] : occurrencesBetween(cron, group.timezone, Math.max(group.createdAt, now - LOOK_BACK_MS), now, 10);
    for (const occurrence of occurrences) {
      if (occurrence.at < group.createdAt || occurrence.key === known?.key) continue;
      const catchUp = !changed && occurrence === occurrences.at(-1) && now - occurrence.at <= CATCH_UP_MS;
      await scheduleJob(this.deps.db, { job, subject: String(group.id), period: occurrence.key }, occurrence.at, now, catchUp ? 'pending' : 'skipped');
    }
    const [next] = nextOccurrences(cron, group.timezone, now, 1);
    this.planned.set(memo, { schedule, key: latest.key, nextAt: next!.at });
  }

  /** The reminder to report followers goes out a day before the weekly digest, at the same local time. */
  private async planFollowersReminder(group: Group, now: number): Promise<void> {
    const memo = `${JOB_NAMES.followersReminder}:${group.id}`;
    const schedule = `${group.digestCron}|${group.timezone}`;
    const known = this.planned.get(memo);
    if (known && known.schedule === schedule && now < known.nextAt) return;
    const [next] = nextOccurrences(group.digestCron, group.timezone, now, 1);
    if (!next) return;
    const reminderKey = `${addDays(next.key.slice(0, 10), -1)}T${next.key.slice(11)}`;
    const at = instantOfWallTime(reminderKey, group.timezone);
    if (now >= at && at >= group.createdAt) {
      const state = now - at <= CATCH_UP_MS ? 'pending' : 'skipped';
      await scheduleJob(this.deps.db, { job: JOB_NAMES.followersReminder, subject: String(group.id), period: next.key }, at, now, state);
    }
    // Nothing changes until the reminder is due, or, once it is planned, until the digest itself goes out.
    this.planned.set(memo, { schedule, key: next.key, nextAt: now >= at ? next.at : at });
  }

  /** A nudge for each member who asked, whose streak (2+ days) is waiting for today's writing. */
  private async planNudges(groups: Map<number, Group>, now: number): Promise<void> {
    const members = await listMembersWithReminders(this.deps.db);
    const states = await findStreaks(this.deps.db, members.map((m) => m.id));
    for (const member of members) {
      const group = groups.get(member.groupId);
      if (!group || !member.remindAt) continue;
      const calendar = memberCalendar(member, group.timezone);
      const today = localDateOf(now, calendar);
      const memo = `${JOB_NAMES.streakNudge}:${member.id}`;
      if (this.planned.get(memo)?.key === today) continue;
      const state = states.get(member.id) ?? EMPTY_STREAK;
      // Not worth a row: no streak to keep, or today already written.
      if (state.current < 2 || (state.lastDate !== null && state.lastDate >= today)) continue;
      const end = dayEnd(today, calendar);
      const at = member.remindAt === 'auto' ? end - DEFAULT_NUDGE_BEFORE_END_MS : this.nudgeInstant(today, member.remindAt, calendar.zone, calendar.rolloverHour);
      if (now < at || now >= end) continue;
      await scheduleJob(this.deps.db, { job: JOB_NAMES.streakNudge, subject: String(member.id), period: today }, at, now);
      this.planned.set(memo, { schedule: member.remindAt, key: today, nextAt: end });
    }
  }

  /** An 'HH:MM' within the writing day `today`: after midnight but before the rollover hour, it falls on the next date. */
  private nudgeInstant(today: string, time: string, zone: string, rolloverHour: number): number {
    const hour = Number(time.slice(0, 2));
    const date = hour < rolloverHour ? addDays(today, 1) : today;
    return instantOfWallTime(`${date}T${time}`, zone);
  }
}
