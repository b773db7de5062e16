import type { Db } from '../db/database';
import { listLoggedDays, sumLogs, wordsByDate } from '../db/log.repository';
import { type CalendarData, calendarStart, streakCalendarAlt, streakCalendarSvg } from '../render/streak-calendar';
import { recordMilestone } from '../db/milestone.repository';
import { findStreak, saveStreak } from '../db/streak.repository';
import { listVacations } from '../db/vacation.repository';
import type { Group } from '../domain/group';
import { addDays, dayStart, type LocalDate, localDateOf } from '../domain/local-date';
import { type Member, type Membership, memberCalendar } from '../domain/member';
import { highestOf } from '../domain/milestones';
import { startOfWeek } from '../domain/periods';
import {
  advanceStreak,
  canAdvance,
  computeStreak,
  type LoggedDay,
  milestonesCrossed,
  onVacation,
  sameStreak,
  type StreakState,
  streakOn,
  type StreakToday,
  type Vacation,
  vacationEnd,
} from '../domain/streak';
import { drawPicture, type Picture } from './draw-picture';
import type { ServiceDeps } from './service-deps';

export interface StreakSummary extends StreakToday {
  member: Member;
  today: LocalDate;
  daysLogged: number;
  wordsThisWeek: number;
  wordsTotal: number;
  /** The last day of the vacation the member is on, if any. */
  vacationUntil: LocalDate | null;
}

/** What logging one day did to the streak. */
export interface DayRecorded {
  state: StreakState;
  /** Milestones worth a post (see highestOf). */
  milestones: number[];
  /** This log earned a freeze (a week of writing). */
  freezeEarned: boolean;
  /** The missed day a freeze was spent on, if one was. */
  freezeBridged: LocalDate | null;
}

export class StreakService {
  constructor(private readonly deps: ServiceDeps) {}

  /** Rebuilds a member's cached streak from all their logged days: after backdating, undo or a zone change. */
  async recompute(db: Db, member: Membership): Promise<StreakState> {
    const [days, vacations] = await Promise.all([listLoggedDays(db, member.id), listVacations(db, member.id)]);
    const { state } = computeStreak(days, vacations);
    await saveStreak(db, member, state, this.deps.clock.now());
    return state;
  }

  /**
   * Folds one newly logged day into the cached streak: one step for the usual case (today, after
   * earlier days), a full recompute when the day lands before days already counted.
   * Returns the streak milestones this log reached for the first time, and what it did with freezes.
   */
  async recordDay(db: Db, group: Group, member: Member, day: LoggedDay): Promise<DayRecorded> {
    const before = await findStreak(db, member.id);
    let after: StreakState;
    let bridged: LocalDate | null = null;
    if (canAdvance(before, day)) {
      // Vacations matter only across a gap; most logs follow yesterday's and need no lookup.
      const gap = dayStart(day.date, day) > before.coveredUntil;
      const vacations = gap ? await listVacations(db, member.id) : [];
      ({ state: after, bridged } = advanceStreak(before, day, vacations));
      // Another log of a day already counted changes nothing: no write.
      if (!sameStreak(before, after)) await saveStreak(db, member, after, this.deps.clock.now());
    } else {
      after = await this.recompute(db, member);
    }
    const reached: number[] = [];
    if (after.startDate) {
      for (const value of milestonesCrossed(before.current, after.current)) {
        const first = await recordMilestone(
          db,
          { memberId: member.id, groupId: group.id, kind: 'streak', value, periodKey: after.startDate },
          this.deps.clock.now(),
        );
        if (first) reached.push(value);
      }
    }
    // A backfill that joins two runs may cross several at once: one cheer, for the highest.
    return { state: after, milestones: highestOf(reached), freezeEarned: after.freezes > before.freezes, freezeBridged: bridged };
  }

  /**
   * The member's last 26 weeks as a calendar picture: words per day, freezes, vacations, today
   * outlined. Without its PNG when it could not be drawn (logged): the reply gives its text alternative.
   */
  async calendar(group: Group, member: Member): Promise<Picture> {
    const data = await this.calendarData(group, member);
    return drawPicture(this.deps.logger, { groupId: group.id, picture: 'streak calendar' }, streakCalendarAlt(data), () => this.deps.settings.svgToPng(streakCalendarSvg(data)));
  }

  /** What the calendar picture shows: the web page draws the same SVG inline. */
  async calendarData(group: Group, member: Member): Promise<CalendarData> {
    const db = this.deps.db;
    const calendar = memberCalendar(member, group.timezone);
    const today = localDateOf(this.deps.clock.now(), calendar);
    const [words, days, vacations, cached] = await Promise.all([
      wordsByDate(db, member.id),
      listLoggedDays(db, member.id),
      listVacations(db, member.id),
      findStreak(db, member.id),
    ]);
    const { frozenDates } = computeStreak(days, vacations);
    const shown = streakOn(cached, today, calendar, vacations);
    const from = calendarStart(today, group.weekStart);
    const vacationDates = new Set<LocalDate>();
    for (const v of vacations) {
      for (let d = v.start > from ? v.start : from; d <= vacationEnd(v) && d <= today; d = addDays(d, 1)) vacationDates.add(d);
    }
    return {
      name: member.displayName,
      today,
      weekStart: group.weekStart,
      words,
      frozen: new Set(frozenDates),
      vacation: vacationDates,
      current: shown.current,
      longest: shown.longest,
    };
  }

  async summary(group: Group, member: Member): Promise<StreakSummary> {
    const db = this.deps.db;
    const calendar = memberCalendar(member, group.timezone);
    const today = localDateOf(this.deps.clock.now(), calendar);
    const [state, vacations, totals, week] = await Promise.all([
      findStreak(db, member.id),
      listVacations(db, member.id),
      sumLogs(db, member.id),
      sumLogs(db, member.id, { from: startOfWeek(today, group.weekStart), to: today }),
    ]);
    return {
      ...streakOn(state, today, calendar, vacations),
      member,
      today,
      daysLogged: totals.days,
      wordsThisWeek: week.words,
      wordsTotal: totals.words,
      vacationUntil: currentVacationEnd(vacations, today),
    };
  }
}

export function currentVacationEnd(vacations: readonly Vacation[], today: LocalDate): LocalDate | null {
  if (!onVacation(today, vacations)) return null;
  const current = vacations.find((v) => today >= v.start && today <= vacationEnd(v));
  return current ? vacationEnd(current) : null;
}
