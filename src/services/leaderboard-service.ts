import { findWeekTotals, latestTotalsAt, latestTotalsBefore, latestTotalsOf, saveWeekTotal, totalsBetween } from '../db/follower.repository';
import { firstHourReadsByMember, wordsByMember } from '../db/leaderboard.repository';
import { listMembers } from '../db/member.repository';
import { findGroupStreaks } from '../db/streak.repository';
import { groupVacations } from '../db/vacation.repository';
import type { Group } from '../domain/group';
import { type FollowerGain, followerGain, rank } from '../domain/leaderboard';
import { dayEnd, dayStart, type LocalDate, localDateOf } from '../domain/local-date';
import { type Member, memberCalendar } from '../domain/member';
import { type DateSpan, type PeriodName, periodOf } from '../domain/periods';
import { EMPTY_STREAK, type StreakState, streakOn, type Vacation } from '../domain/streak';
import type { ServiceDeps } from './service-deps';

export const BOARDS = ['followers', 'streaks', 'words', 'reads'] as const;
export type BoardName = (typeof BOARDS)[number];

export interface BoardRow {
  rank: number;
  member: Member;
  /** The number ranked on. */
  score: number;
  /** Extra figures for display: percent gain and total; longest streak. */
  detail?: { percent?: number | null; total?: number; longest?: number };
}

export interface Board {
  name: BoardName;
  span: DateSpan;
  rows: BoardRow[];
  /** Followers only: members with no count before the period, shown with their total rather than a gain. */
  newcomers: { member: Member; total: number }[];
}

/**
 * What every board of a group is built from, read once: the members shown (not hidden), their cached
 * streaks and their vacations. A digest builds several boards from one roster.
 */
export interface Roster {
  members: Member[];
  streaks: Map<number, StreakState>;
  vacations: Map<number, Vacation[]>;
}

/** A span of local dates in the group's zone, as instants: [start of `from`, end of `to`). */
export function spanInstants(group: Group, span: DateSpan): { start: number; end: number } {
  const calendar = { zone: group.timezone, rolloverHour: 0 };
  return { start: span.from === '0000-01-01' ? 0 : dayStart(span.from, calendar), end: dayEnd(span.to, calendar) };
}

/** Leaderboards of a group over a period aligned to its zone and week start; hidden members left out. */
export class LeaderboardService {
  constructor(private readonly deps: ServiceDeps) {}

  today(group: Group): LocalDate {
    return localDateOf(this.deps.clock.now(), { zone: group.timezone, rolloverHour: 0 });
  }

  async board(group: Group, name: BoardName, period: PeriodName): Promise<Board> {
    const span = periodOf(period, this.today(group), group.weekStart);
    return this.boardFor(group, await this.roster(group), name, span, period === 'all');
  }

  async roster(group: Group): Promise<Roster> {
    const members = (await listMembers(this.deps.db, group.id)).filter((m) => !m.hidden);
    const [streaks, vacations] = await Promise.all([findGroupStreaks(this.deps.db, group.id), groupVacations(this.deps.db, group.id)]);
    return { members, streaks, vacations };
  }

  /** A board over an explicit span (the digest's week). */
  async boardFor(group: Group, roster: Roster, name: BoardName, span: DateSpan, allTime = false): Promise<Board> {
    const { members } = roster;
    const { start, end } = spanInstants(group, span);
    const board: Board = { name, span, rows: [], newcomers: [] };
    switch (name) {
      case 'words': {
        const words = await wordsByMember(this.deps.db, group.id, span);
        board.rows = ranked(members.filter((m) => (words.get(m.id) ?? 0) > 0), (m) => words.get(m.id)!);
        break;
      }
      case 'reads': {
        const reads = await firstHourReadsByMember(this.deps.db, group.id, start, end);
        board.rows = ranked(members.filter((m) => reads.has(m.id)), (m) => reads.get(m.id)!);
        break;
      }
      case 'streaks':
        board.rows = this.streakRows(group, roster);
        break;
      case 'followers': {
        const gains = await this.followerGains(group, members, allTime ? 0 : start, Math.min(end, this.deps.clock.now() + 1));
        Object.assign(board, followerBoard(members, gains, allTime));
        break;
      }
    }
    return board;
  }

  /**
   * Follower totals at the end of each week, oldest first: the group's, and those of the given
   * members. Totals of weeks that are over are kept once added up, so a chart costs one new week.
   */
  async followerHistory(group: Group, weeks: DateSpan[], members: Member[]): Promise<{ total: number[]; members: Map<number, (number | null)[]> }> {
    const { db, clock } = this.deps;
    const ends = weeks.map((w) => spanInstants(group, w).end);
    const kept = await findWeekTotals(db, group.id, weeks.map((w) => w.to));
    const total: number[] = [];
    for (const [i, week] of weeks.entries()) {
      let sum = kept.get(week.to);
      if (sum === undefined) {
        sum = [...(await latestTotalsBefore(db, group.id, ends[i]!)).values()].reduce((a, b) => a + b, 0);
        if (ends[i]! <= clock.now()) await saveWeekTotal(db, group.id, week.to, sum);
      }
      total.push(sum);
    }
    const ids = members.map((m) => m.id);
    const { start } = spanInstants(group, weeks[0]!);
    const [baseline, during] = await Promise.all([latestTotalsOf(db, ids, start), totalsBetween(db, ids, start, ends.at(-1)!)]);
    const series = new Map<number, (number | null)[]>();
    for (const id of ids) {
      let latest = baseline.get(id) ?? null;
      const rows = during.filter((r) => r.member_id === id);
      series.set(
        id,
        ends.map((end) => {
          for (const row of rows) if (row.recorded_at < end) latest = row.total;
          return latest;
        }),
      );
    }
    return { total, members: series };
  }

  /** Follower gain of each member over [start, end). */
  async followerGains(group: Group, members: Member[], start: number, end: number): Promise<Map<number, FollowerGain>> {
    const totals = await latestTotalsAt(this.deps.db, group.id, [start, end]);
    return new Map(members.map((m) => [m.id, followerGain(totals.get(m.id)?.[0], totals.get(m.id)?.[1])]));
  }

  private streakRows(group: Group, roster: Roster): BoardRow[] {
    const now = this.deps.clock.now();
    const scored = roster.members.map((member) => {
      const calendar = memberCalendar(member, group.timezone);
      const shown = streakOn(roster.streaks.get(member.id) ?? EMPTY_STREAK, localDateOf(now, calendar), calendar, roster.vacations.get(member.id) ?? []);
      return { member, current: shown.current, longest: shown.longest };
    });
    return rank(
      scored.filter((s) => s.longest > 0),
      (s) => [s.current, s.longest],
    ).map(({ rank: r, entry }) => ({ rank: r, member: entry.member, score: entry.current, detail: { longest: entry.longest } }));
  }
}

/** The followers board from members' gains: ranked gains, newcomers apart; over all time, ranked totals. */
export function followerBoard(members: Member[], gains: Map<number, FollowerGain>, allTime = false): Pick<Board, 'rows' | 'newcomers'> {
  const totalOf = (m: Member) => (gains.get(m.id) as Extract<FollowerGain, { total: number }>).total;
  if (allTime) {
    // Over all time everyone is "new": rank by total instead.
    const reported = members.filter((m) => gains.get(m.id)?.kind !== 'none' && gains.has(m.id));
    return { rows: rank(reported, totalOf).map(({ rank: r, entry }) => ({ rank: r, member: entry, score: totalOf(entry), detail: { total: totalOf(entry) } })), newcomers: [] };
  }
  const gainOf = (m: Member) => gains.get(m.id) as Extract<FollowerGain, { kind: 'gain' }>;
  const gaining = members.filter((m) => gains.get(m.id)?.kind === 'gain');
  return {
    rows: rank(gaining, (m) => gainOf(m).gain).map(({ rank: r, entry }) => ({
      rank: r,
      member: entry,
      score: gainOf(entry).gain,
      detail: { percent: gainOf(entry).percent, total: gainOf(entry).total },
    })),
    newcomers: members.flatMap((m) => {
      const gain = gains.get(m.id);
      return gain?.kind === 'new' ? [{ member: m, total: gain.total }] : [];
    }),
  };
}

function ranked(members: Member[], score: (m: Member) => number): BoardRow[] {
  return rank(members, score).map(({ rank: r, entry }) => ({ rank: r, member: entry, score: score(entry) }));
}
