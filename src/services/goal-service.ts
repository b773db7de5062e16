import { plain } from '../core/format';
import type { Actor } from '../core/invocation';
import { channelReply, privateReply } from '../core/reply';
import { UserError } from '../core/user-error';
import type { Db } from '../db/database';
import { countPublished, daysByWeek, deleteGoal, type GoalWithTotals, listGoalsWithTotals, markAchieved, markCelebrated, saveGoal } from '../db/goal.repository';
import { reportsSince } from '../db/follower.repository';
import { sumLogs } from '../db/log.repository';
import { findStreak } from '../db/streak.repository';
import { listVacations } from '../db/vacation.repository';
import { checkGoal, followerPace, GOAL_KINDS, type GoalKind, goalPeriodKey, goalSpan, paceIn, streakGoalProgress, weekStreak } from '../domain/goals';
import { announceConversation, type Group } from '../domain/group';
import { dayEnd, dayStart, type LocalDate, localDateOf } from '../domain/local-date';
import { type Member, memberCalendar } from '../domain/member';
import { streakOn } from '../domain/streak';
import { achievedText, celebrationText, type GoalProgress, logLine, nudgeText } from './goal-messages';
import type { MemberService } from './member-service';
import type { ServiceDeps } from './service-deps';

const DAY_MS = 86_400_000;
/** Follower growth over this many days makes the projection. */
export const GROWTH_DAYS = 28;

/** What a log's goals say: the reply's line, and what is said once afterwards. */
export interface GoalNotes {
  line?: string;
  /** Period targets reached with this log: each told to the member privately, once. */
  achieved: string[];
  /** Long goals reached: each cheered in the group, once. */
  celebrations: string[];
}

/** What the log knows already, so goals cost the hot path one statement. */
export interface LogFacts {
  date: LocalDate;
  today: LocalDate;
  /** Words of the member's today (known when the log was for today). */
  todayWords: number | undefined;
  streak: { current: number; loggedToday: boolean };
}

/** Members' goals: setting them, their progress, and what logs, follower counts and nudges say of them. */
export class GoalService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly members: MemberService,
  ) {}

  private today(group: Group, member: Pick<Member, 'timezone' | 'rolloverHour'>): LocalDate {
    return localDateOf(this.deps.clock.now(), memberCalendar(member, group.timezone));
  }

  /** Sets (or replaces) the actor's goal of a kind; the checks run before anything is written. */
  async set(group: Group, actor: Actor, input: { kind: string; target?: number; period?: string; by?: string }): Promise<GoalProgress> {
    const existing = await this.members.find(group, actor);
    const today = localDateOf(this.deps.clock.now(), memberCalendar(existing ?? { timezone: null, rolloverHour: 0 }, group.timezone));
    const checked = checkGoal(input.kind.toLowerCase(), input.target, input.period, input.by, today);
    if (!checked.ok) throw new UserError('bad_argument', plain(checked.reason));
    const member = await this.deps.db.transaction().execute(async (trx) => {
      const { member } = await this.members.ensure(group, actor, trx);
      await saveGoal(trx, member, checked.value, this.today(group, member), this.deps.clock.now());
      return member;
    });
    const all = await this.progress(this.deps.db, group, member);
    return all.find((p) => p.goal.kind === checked.value.kind)!;
  }

  async clear(group: Group, actor: Actor, kind: string | undefined): Promise<GoalKind> {
    const k = kind?.toLowerCase();
    if (!k || !(GOAL_KINDS as readonly string[]).includes(k)) throw new UserError('bad_argument', `/goal clear takes the kind of goal to clear: ${GOAL_KINDS.join(', ')}.`);
    const member = await this.members.find(group, actor);
    if (!member || !(await deleteGoal(this.deps.db, member.id, k as GoalKind))) throw new UserError('not_found', `You have no ${k} goal to clear. /goal lists yours.`);
    return k as GoalKind;
  }

  /** Every goal of the actor's with its progress today. */
  async overview(group: Group, actor: Actor): Promise<{ member: Member | undefined; progress: GoalProgress[] }> {
    const member = await this.members.find(group, actor);
    if (!member) return { member, progress: [] };
    return { member, progress: await this.progress(this.deps.db, group, member, { weekStreaks: true }) };
  }

  /** The goals' progress, read from the running totals, publications, follower reports and the cached streak. */
  async progress(db: Db, group: Group, member: Member, options: { weekStreaks?: boolean; facts?: LogFacts } = {}): Promise<GoalProgress[]> {
    const today = options.facts?.today ?? this.today(group, member);
    const goals = await listGoalsWithTotals(db, member.id, keysOf(today, group.weekStart));
    return this.progressOf(db, group, member, goals, today, options);
  }

  private async progressOf(db: Db, group: Group, member: Member, goals: GoalWithTotals[], today: LocalDate, options: { weekStreaks?: boolean; facts?: LogFacts }): Promise<GoalProgress[]> {
    const calendar = memberCalendar(member, group.timezone);
    const out: GoalProgress[] = [];
    for (const { goal, words, days } of goals) {
      if (goal.period) {
        const span = goalSpan(goal.period, today, group.weekStart);
        let done: number;
        if (goal.kind === 'words') done = goal.period === 'day' ? (options.facts?.todayWords ?? (await sumLogs(db, member.id, { from: today, to: today })).words) : words;
        else if (goal.kind === 'days') done = days;
        else done = await countPublished(db, member, dayStart(span.from, calendar), dayEnd(span.to, calendar));
        const streak = goal.kind === 'days' && options.weekStreaks ? weekStreak(await daysByWeek(db, member.id), today, group.weekStart, goal.target) : undefined;
        out.push({ goal, kind: 'period', period: goal.period, pace: paceIn(span, today, goal.target, done), from: span.from, to: span.to, ...(streak !== undefined && { weekStreak: streak }) });
      } else if (goal.kind === 'streak') {
        let streak = options.facts?.streak;
        if (!streak) {
          const [state, vacations] = await Promise.all([findStreak(db, member.id), listVacations(db, member.id)]);
          streak = streakOn(state, today, calendar, vacations);
        }
        out.push({ goal, kind: 'streak', current: streak.current, ...streakGoalProgress(goal.target, streak.current, streak.loggedToday, today) });
      } else if (goal.kind === 'followers' && goal.byDate) {
        const { current, growth, days } = await this.followerGrowth(db, member.id);
        out.push({ goal, kind: 'followers', byDate: goal.byDate, pace: followerPace(goal.target, goal.byDate, today, current, growth, days) });
      }
    }
    return out;
  }

  /** The member's follower total now, and what they gained over the last GROWTH_DAYS days (or since their first count in them). */
  private async followerGrowth(db: Db, memberId: number): Promise<{ current: number; growth: number; days: number }> {
    const now = this.deps.clock.now();
    const [row, reports] = await Promise.all([
      db.selectFrom('members').select('follower_total').where('id', '=', memberId).executeTakeFirst(),
      reportsSince(db, { memberIds: [memberId] }, now - GROWTH_DAYS * DAY_MS),
    ]);
    const current = Number(row?.follower_total ?? 0);
    const first = reports[0];
    if (!first) return { current, growth: 0, days: GROWTH_DAYS };
    if (first.previous_total !== null) return { current, growth: current - Number(first.previous_total), days: GROWTH_DAYS };
    return { current, growth: current - Number(first.total), days: (now - Number(first.recorded_at)) / DAY_MS };
  }

  /**
   * In the log's own transaction: the goals' progress after it, and which targets it reached for the
   * first time in their period (marked, so a second log, an undo and a re-log say nothing again).
   */
  async afterLog(trx: Db, group: Group, member: Member, facts: LogFacts): Promise<GoalNotes> {
    const progress = await this.progress(trx, group, member, { facts });
    const notes: GoalNotes = { line: logLine(progress), achieved: [], celebrations: [] };
    for (const p of progress) {
      if (p.kind === 'period' && p.pace.met && p.goal.kind !== 'publish' && (await markAchieved(trx, p.goal.id, goalPeriodKey(p.period, facts.today, group.weekStart))))
        notes.achieved.push(achievedText(p));
      if (p.kind === 'streak' && p.met && (await markCelebrated(trx, p.goal.id, this.deps.clock.now()))) notes.celebrations.push(celebrationText(member.displayName, p));
    }
    return notes;
  }

  /** After the commit: the acknowledgements privately (a closed direct message loses only them), the cheers in the group. */
  async deliver(group: Group, member: Member, notes: Pick<GoalNotes, 'achieved' | 'celebrations'>): Promise<void> {
    const recipient = { platform: group.platform, workspaceId: group.workspaceId, userId: member.userId, displayName: member.displayName };
    for (const text of notes.achieved)
      await this.deps.outbound.directMessage(recipient, privateReply(text)).catch((error: unknown) => this.deps.logger.warn({ err: error, group: group.id }, 'goal acknowledgement not sent'));
    for (const text of notes.celebrations)
      await this.deps.outbound
        .post(announceConversation(group), channelReply(text))
        .catch((error: unknown) => this.deps.logger.warn({ err: error, group: group.id }, 'goal celebration not posted'));
  }

  /** After a follower count or an announcement: a followers goal reached is cheered once, an articles target acknowledged once. */
  async afterReport(group: Group, actor: Pick<Actor, 'userId'>): Promise<void> {
    // Beside a reply that already went out: a failure here is only worth a log line.
    await this.checkReport(group, actor).catch((error: unknown) => this.deps.logger.warn({ err: error, group: group.id }, 'goals not checked after a report'));
  }

  private async checkReport(group: Group, actor: Pick<Actor, 'userId'>): Promise<void> {
    const member = await this.members.find(group, actor);
    if (!member) return;
    const progress = await this.progress(this.deps.db, group, member);
    const notes: GoalNotes = { achieved: [], celebrations: [] };
    const today = this.today(group, member);
    for (const p of progress) {
      if (p.kind === 'followers' && p.pace.met && (await markCelebrated(this.deps.db, p.goal.id, this.deps.clock.now()))) notes.celebrations.push(celebrationText(member.displayName, p));
      if (p.kind === 'period' && p.goal.kind === 'publish' && p.pace.met && (await markAchieved(this.deps.db, p.goal.id, goalPeriodKey(p.period, today, group.weekStart))))
        notes.achieved.push(achievedText(p));
    }
    await this.deliver(group, member, notes);
  }

  /** What the streak-at-risk nudge adds from the member's goals, if any goal is still open today. */
  async nudge(group: Group, member: Member): Promise<string | undefined> {
    return nudgeText(await this.progress(this.deps.db, group, member));
  }
}

function keysOf(today: LocalDate, weekStart: number) {
  return { week: goalPeriodKey('week', today, weekStart), month: goalPeriodKey('month', today, weekStart), year: goalPeriodKey('year', today, weekStart) };
}
