import {
  findWeekTotals,
  type FollowerStanding,
  type FollowerStandings,
  followerStandings,
  latestFollowerTotals,
  reportsSince,
  saveWeekTotal,
  topFollowerTotals,
} from '../db/follower.repository';
import { type Places, topByTotals, topFirstHourReaders, topResponders, topWriters } from '../db/leaderboard.repository';
import { totalsSummary } from '../db/member-totals.repository';
import { findListedMembers } from '../db/member.repository';
import { topSprinters } from '../db/sprint.repository';
import { streaksByLength } from '../db/streak.repository';
import { vacationsOfMembers } from '../db/vacation.repository';
import type { Group } from '../domain/group';
import { earliestInstant, type FollowerGain, followerGain, rank, totalsAsOf } from '../domain/leaderboard';
import { dayEnd, dayStart, type LocalDate, localDateOf } from '../domain/local-date';
import { type ListedMember, memberCalendar } from '../domain/member';
import { ALL_TIME_FROM, type DateSpan, type PeriodName, periodKeyOfSpan, periodOf } from '../domain/periods';
import { streakOn } from '../domain/streak';
import type { ServiceDeps } from './service-deps';

export const BOARDS = ['followers', 'streaks', 'words', 'reads', 'sprints', 'responses'] as const;
export type BoardName = (typeof BOARDS)[number];

export interface BoardRow {
  rank: number;
  member: ListedMember;
  /** The number ranked on. */
  score: number;
  /** Extra figures for display: percent gain and total; longest streak. */
  detail?: { percent?: number | null; total?: number; longest?: number; sprints?: number };
}

export interface Board {
  name: BoardName;
  span: DateSpan;
  /** The first places (all of them unless a limit was asked for). */
  rows: BoardRow[];
  /** Followers only: members with no count before the period, shown with their total rather than a gain (as many as the places asked for), and how many in all. */
  newcomers: { member: ListedMember; total: number }[];
  newcomerCount: number;
}

/** A board of one summed score (words, reads): how many members scored, and their scores added up. */
export interface ScoredBoard extends Board {
  size: number;
  total: number;
}

/** Streaks read at first when looking for the longest ones alive; each further read is twice as long. */
const FIRST_STREAK_PAGE = 20;

/** A span of local dates in the group's zone, as instants: [start of `from`, end of `to`). */
export function spanInstants(group: Group, span: DateSpan): { start: number; end: number } {
  const calendar = { zone: group.timezone, rolloverHour: 0 };
  return { start: span.from === ALL_TIME_FROM ? 0 : dayStart(span.from, calendar), end: dayEnd(span.to, calendar) };
}

/** Leaderboards of a group over a period aligned to its zone and week start; hidden members left out. */
export class LeaderboardService {
  constructor(private readonly deps: ServiceDeps) {}

  today(group: Group): LocalDate {
    return localDateOf(this.deps.clock.now(), { zone: group.timezone, rolloverHour: 0 });
  }

  async board(group: Group, name: BoardName, period: PeriodName, limit?: number): Promise<Board> {
    const span = periodOf(period, this.today(group), group.weekStart);
    return this.boardFor(group, name, span, { allTime: period === 'all', limit });
  }

  /** A board over an explicit span. Words and reads are ranked by the database; streaks and followers here. */
  async boardFor(group: Group, name: BoardName, span: DateSpan, options: { allTime?: boolean; limit?: number } = {}): Promise<Board> {
    const { allTime = false, limit } = options;
    switch (name) {
      case 'words':
      case 'reads':
        return { name, span, rows: await this.places(group, name, span, limit), newcomers: [], newcomerCount: 0 };
      case 'responses': {
        // Responses given: a whole period from the running totals, any other span from its rows.
        const period = periodKeyOfSpan(span, group.weekStart);
        const { start, end } = spanInstants(group, span);
        const rows = period === undefined ? (await topResponders(this.deps.db, group.id, start, end, limit)).rows : await topByTotals(this.deps.db, group.id, period, 'responses_given', limit);
        return { name, span, rows, newcomers: [], newcomerCount: 0 };
      }
      case 'streaks':
        return { name, span, rows: await this.streakBoard(group, limit), newcomers: [], newcomerCount: 0 };
      case 'sprints': {
        const { start, end } = spanInstants(group, span);
        const top = await topSprinters(this.deps.db, group.id, allTime ? 0 : start, end, limit);
        const rows = rank(top, (t) => [t.words, t.sprints]).map(({ rank: place, entry }) => ({ rank: place, member: entry.member, score: entry.words, detail: { sprints: entry.sprints } }));
        return { name, span, rows, newcomers: [], newcomerCount: 0 };
      }
      case 'followers': {
        if (allTime) {
          // Everyone is new over all time: the board is the latest totals, ranked.
          const leaders = await topFollowerTotals(this.deps.db, group.id, limit);
          return this.followerBoard(span, { gainers: [], newcomers: [], newcomerCount: 0, leaders }, { allTime });
        }
        return this.followerBoard(span, await this.standings(group, span, limit));
      }
    }
  }

  /**
   * Words logged on the dates of a span, or first-hour reads given in it: the first places, the count
   * and the sum. A whole week, month, year or all time is read from the running totals; any other span
   * is summed from its rows.
   */
  async scoredBoard(group: Group, name: 'words' | 'reads', span: DateSpan, limit?: number): Promise<ScoredBoard> {
    const { db } = this.deps;
    const period = periodKeyOfSpan(span, group.weekStart);
    if (period === undefined) return { name, span, ...(await this.summedFromRows(group, name, span, limit)), newcomers: [], newcomerCount: 0 };
    const [rows, summary] = await Promise.all([topByTotals(db, group.id, period, name, limit), totalsSummary(db, group.id, period, name)]);
    return { name, span, rows, ...summary, newcomers: [], newcomerCount: 0 };
  }

  /** The first places alone, which is all a board shows. */
  private async places(group: Group, name: 'words' | 'reads', span: DateSpan, limit?: number): Promise<Places> {
    const period = periodKeyOfSpan(span, group.weekStart);
    if (period === undefined) return (await this.summedFromRows(group, name, span, limit)).rows;
    return topByTotals(this.deps.db, group.id, period, name, limit);
  }

  private summedFromRows(group: Group, name: 'words' | 'reads', span: DateSpan, limit?: number) {
    const { start, end } = spanInstants(group, span);
    return name === 'words' ? topWriters(this.deps.db, group.id, span, limit) : topFirstHourReaders(this.deps.db, group.id, start, end, limit);
  }

  /**
   * The longest streaks shown now, current then longest, each read in its member's calendar. Streaks
   * are read longest cached first, a page at a time, until no unread one can reach the board: a
   * streak shows its cached length or 0, so a big group's board reads a few rows, not every member.
   */
  private async streakBoard(group: Group, limit = Number.POSITIVE_INFINITY): Promise<BoardRow[]> {
    const { db, clock } = this.deps;
    const now = clock.now();
    const scored: { member: ListedMember; current: number; longest: number }[] = [];
    const ranked = () => rank([...scored].sort((a, b) => a.member.id - b.member.id), (s) => [s.current, s.longest], limit);
    let page = Number.isFinite(limit) ? { offset: 0, size: Math.max(FIRST_STREAK_PAGE, 2 * limit) } : undefined;
    for (;;) {
      const rows = await streaksByLength(db, group.id, page);
      const vacations = await vacationsOfMembers(db, rows.map((r) => r.member.id));
      for (const { member, streak } of rows) {
        const calendar = memberCalendar(member, group.timezone);
        const shown = streakOn(streak, localDateOf(now, calendar), calendar, vacations.get(member.id) ?? []);
        if (shown.longest > 0) scored.push({ member, current: shown.current, longest: shown.longest });
      }
      const lastRead = rows.at(-1)?.streak;
      if (!page || !lastRead || rows.length < page.size) break;
      if (noUnreadCanPlace(ranked(), limit, lastRead)) break;
      page = { offset: page.offset + page.size, size: page.size * 2 };
    }
    return ranked().map(({ rank: r, entry }) => ({ rank: r, member: entry.member, score: entry.current, detail: { longest: entry.longest } }));
  }

  /** Follower totals as of some instants (see `totalsAsOf`), from their latest: of some members, or of everyone in the group. */
  private async totalsAt(group: Group, instants: number[], latest?: Map<number, number>): Promise<Map<number, (number | undefined)[]>> {
    const since = earliestInstant(instants);
    const of = latest ? { memberIds: [...latest.keys()] } : { groupId: group.id };
    const [reports, everyone] = await Promise.all([
      Number.isFinite(since) ? reportsSince(this.deps.db, of, since) : [],
      latest ?? latestFollowerTotals(this.deps.db, group.id),
    ]);
    return totalsAsOf(everyone, reports, instants);
  }

  /**
   * Follower totals at the end of each week, oldest first: the group's (hidden members included), and
   * those of the given members. Totals of weeks that are over are kept once added up, so a chart costs
   * one new week.
   */
  async followerHistory(group: Group, weeks: DateSpan[], members: FollowerStanding[]): Promise<{ total: number[]; members: Map<number, (number | null)[]> }> {
    const { db, clock } = this.deps;
    const ends = weeks.map((w) => spanInstants(group, w).end);
    const kept = await findWeekTotals(db, group.id, weeks.map((w) => w.to));
    const missing = weeks.flatMap((week, i) => (kept.has(week.to) ? [] : [i]));
    if (missing.length) {
      const sums = await this.totalsAt(group, missing.map((i) => ends[i]!));
      for (const [j, i] of missing.entries()) {
        let sum = 0;
        for (const memberTotals of sums.values()) sum += memberTotals[j] ?? 0;
        kept.set(weeks[i]!.to, sum);
        if (ends[i]! <= clock.now()) await saveWeekTotal(db, group.id, weeks[i]!.to, sum);
      }
    }
    const series = members.length ? await this.totalsAt(group, ends, new Map(members.map((m) => [m.memberId, m.latest]))) : new Map();
    return {
      total: weeks.map((w) => kept.get(w.to)!),
      members: new Map(members.map((m) => [m.memberId, ends.map((_, i) => series.get(m.memberId)?.[i] ?? null)])),
    };
  }

  /** The follower rankings of a group over one of its weeks, months or years, first places only. */
  standings(group: Group, span: DateSpan, limit?: number): Promise<FollowerStandings> {
    const period = periodKeyOfSpan(span, group.weekStart);
    if (period === undefined) throw new Error(`follower rankings are kept per week, month and year, not for ${span.from} to ${span.to}`);
    const { end } = spanInstants(group, span);
    return followerStandings(this.deps.db, group.id, period, end <= this.deps.clock.now() ? end : undefined, limit);
  }

  /** The followers board: ranked gains, newcomers apart; over all time, when everyone is new, ranked totals. */
  async followerBoard(span: DateSpan, standings: FollowerStandings, options: { allTime?: boolean } = {}): Promise<Board> {
    const places = options.allTime
      ? rank(standings.leaders, (s) => s.atEnd!).map(({ rank: r, entry }) => ({ rank: r, memberId: entry.memberId, score: entry.atEnd!, detail: { total: entry.atEnd! } }))
      : rank(standings.gainers, (s) => s.atEnd! - s.atStart!).map(({ rank: r, entry }) => {
          const gain = followerGain(entry.atStart!, entry.atEnd!) as Extract<FollowerGain, { kind: 'gain' }>;
          return { rank: r, memberId: entry.memberId, score: gain.gain, detail: { percent: gain.percent, total: gain.total } };
        });
    const newcomers = options.allTime ? [] : standings.newcomers;
    const members = await findListedMembers(this.deps.db, [...places.map((p) => p.memberId), ...newcomers.map((n) => n.memberId)]);
    // A member who left while the board was read is left out.
    return {
      name: 'followers',
      span,
      rows: places.flatMap(({ memberId, ...row }) => (members.has(memberId) ? [{ ...row, member: members.get(memberId)! }] : [])),
      newcomers: newcomers.flatMap(({ memberId, atEnd }) => (members.has(memberId) ? [{ member: members.get(memberId)!, total: atEnd! }] : [])),
      newcomerCount: options.allTime ? 0 : standings.newcomerCount,
    };
  }
}

/**
 * Whether streaks not read yet, cached no longer than the last one read, can no longer reach a
 * full board. Each shows its cached length or 0. The last place kept is safe if it ranks above the
 * last one read; or if it is alive and equal to it, since an unread equal one joined later.
 */
function noUnreadCanPlace(top: { entry: { current: number; longest: number } }[], limit: number, lastRead: { current: number; longest: number }): boolean {
  const lastKept = top.at(-1)?.entry;
  if (top.length < limit || !lastKept) return false;
  if (lastKept.current !== lastRead.current) return lastKept.current > lastRead.current;
  return lastKept.longest > lastRead.longest || (lastKept.longest === lastRead.longest && lastKept.current > 0);
}
