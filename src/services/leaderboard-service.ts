import { findWeekTotals, reportsSince, saveWeekTotal } from '../db/follower.repository';
import { topFirstHourReaders, topWriters } from '../db/leaderboard.repository';
import { listRoster } from '../db/member.repository';
import { groupVacations } from '../db/vacation.repository';
import type { Group } from '../domain/group';
import { earliestInstant, type FollowerGain, followerGain, rank, totalsAsOf } from '../domain/leaderboard';
import { dayEnd, dayStart, type LocalDate, localDateOf } from '../domain/local-date';
import { type ListedMember, memberCalendar } from '../domain/member';
import { type DateSpan, type PeriodName, periodOf } from '../domain/periods';
import { EMPTY_STREAK, type StreakView, streakOn, type Vacation } from '../domain/streak';
import type { ServiceDeps } from './service-deps';

export const BOARDS = ['followers', 'streaks', 'words', 'reads'] as const;
export type BoardName = (typeof BOARDS)[number];

export interface BoardRow {
  rank: number;
  member: ListedMember;
  /** The number ranked on. */
  score: number;
  /** Extra figures for display: percent gain and total; longest streak. */
  detail?: { percent?: number | null; total?: number; longest?: number };
}

export interface Board {
  name: BoardName;
  span: DateSpan;
  /** The first places (all of them unless a limit was asked for). */
  rows: BoardRow[];
  /** How many members are on the board, and their scores added up. */
  size: number;
  total: number;
  /** Followers only: members with no count before the period, shown with their total rather than a gain. */
  newcomers: { member: ListedMember; total: number }[];
}

/**
 * What the streak and follower boards of a group are built from, read once: the members shown (not
 * hidden), their cached streaks and vacations, and everyone's latest follower total. A digest builds
 * both from one roster, and starts their own queries while it is still being read.
 */
export interface Roster {
  members: ListedMember[];
  streaks: Map<number, StreakView>;
  vacations: Map<number, Vacation[]>;
  /** Hidden members included: they count in the group's total. */
  followerTotals: Map<number, number>;
}

type RosterSoon = Roster | Promise<Roster>;

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

  async board(group: Group, name: BoardName, period: PeriodName, limit?: number): Promise<Board> {
    const span = periodOf(period, this.today(group), group.weekStart);
    return this.boardFor(group, name, span, { allTime: period === 'all', limit });
  }

  async roster(group: Group): Promise<Roster> {
    const [rows, vacations] = await Promise.all([listRoster(this.deps.db, group.id), groupVacations(this.deps.db, group.id)]);
    const roster: Roster = { members: [], streaks: new Map(), vacations, followerTotals: new Map() };
    for (const { member, hidden, streak, followerTotal } of rows) {
      if (followerTotal !== null) roster.followerTotals.set(member.id, followerTotal);
      if (hidden) continue;
      roster.members.push(member);
      if (streak) roster.streaks.set(member.id, streak);
    }
    return roster;
  }

  /**
   * A board over an explicit span (the digest's week). Words and reads are ranked in SQL; streaks and
   * followers are built from the roster, read here unless one already being read is passed in.
   */
  async boardFor(group: Group, name: BoardName, span: DateSpan, options: { allTime?: boolean; limit?: number; roster?: RosterSoon } = {}): Promise<Board> {
    const { start, end } = spanInstants(group, span);
    const { allTime = false, limit } = options;
    const roster = () => options.roster ?? this.roster(group);
    switch (name) {
      case 'words':
        return { name, span, ...(await topWriters(this.deps.db, group.id, span, limit)), newcomers: [] };
      case 'reads':
        return { name, span, ...(await topFirstHourReaders(this.deps.db, group.id, start, end, limit)), newcomers: [] };
      case 'streaks':
        return { name, span, ...this.streakBoard(group, await roster(), limit), newcomers: [] };
      case 'followers': {
        const members = roster();
        const gains = await this.followerGains(group, members, allTime ? 0 : start, Math.min(end, this.deps.clock.now() + 1));
        return { name, span, ...followerBoard((await members).members, gains, { allTime, limit }) };
      }
    }
  }

  /** Follower totals as of some instants (see `totalsAsOf`): of everyone in the group, or of some members. */
  private async totalsAt(group: Group, roster: RosterSoon, instants: number[], members?: ListedMember[]): Promise<Map<number, (number | undefined)[]>> {
    const since = earliestInstant(instants);
    const of = members ? { memberIds: members.map((m) => m.id) } : { groupId: group.id };
    const [reports, { followerTotals }] = await Promise.all([Number.isFinite(since) ? reportsSince(this.deps.db, of, since) : [], roster]);
    const latest = members ? new Map(members.flatMap((m) => (followerTotals.has(m.id) ? [[m.id, followerTotals.get(m.id)!] as const] : []))) : followerTotals;
    return totalsAsOf(latest, reports, instants);
  }

  /**
   * Follower totals at the end of each week, oldest first: the group's, and those of the given
   * members. Totals of weeks that are over are kept once added up, so a chart costs one new week.
   */
  async followerHistory(group: Group, roster: Roster, weeks: DateSpan[], members: ListedMember[]): Promise<{ total: number[]; members: Map<number, (number | null)[]> }> {
    const { db, clock } = this.deps;
    const ends = weeks.map((w) => spanInstants(group, w).end);
    const kept = await findWeekTotals(db, group.id, weeks.map((w) => w.to));
    const missing = weeks.flatMap((week, i) => (kept.has(week.to) ? [] : [i]));
    if (missing.length) {
      const totals = await this.totalsAt(group, roster, missing.map((i) => ends[i]!));
      for (const [j, i] of missing.entries()) {
        let sum = 0;
        for (const memberTotals of totals.values()) sum += memberTotals[j] ?? 0;
        kept.set(weeks[i]!.to, sum);
        if (ends[i]! <= clock.now()) await saveWeekTotal(db, group.id, weeks[i]!.to, sum);
      }
    }
    const series = await this.totalsAt(group, roster, ends, members);
    return {
      total: weeks.map((w) => kept.get(w.to)!),
      members: new Map(members.map((m) => [m.id, ends.map((_, i) => series.get(m.id)?.[i] ?? null)])),
    };
  }

  /** Follower gain of each member shown over [start, end). */
  async followerGains(group: Group, roster: RosterSoon, start: number, end: number): Promise<Map<number, FollowerGain>> {
    const totals = await this.totalsAt(group, roster, [start, end]);
    const { members } = await roster;
    return new Map(members.map((m) => [m.id, followerGain(totals.get(m.id)?.[0], totals.get(m.id)?.[1])]));
  }

  private streakBoard(group: Group, roster: Roster, limit?: number): Pick<Board, 'rows' | 'size' | 'total'> {
    const now = this.deps.clock.now();
    const scored = roster.members.flatMap((member) => {
      const calendar = memberCalendar(member, group.timezone);
      const shown = streakOn(roster.streaks.get(member.id) ?? EMPTY_STREAK, localDateOf(now, calendar), calendar, roster.vacations.get(member.id) ?? []);
      return shown.longest > 0 ? [{ member, current: shown.current, longest: shown.longest }] : [];
    });
    return {
      rows: rank(scored, (s) => [s.current, s.longest], limit).map(({ rank: r, entry }) => ({ rank: r, member: entry.member, score: entry.current, detail: { longest: entry.longest } })),
      size: scored.length,
      total: scored.reduce((sum, s) => sum + s.current, 0),
    };
  }
}

/** The followers board from members' gains: ranked gains, newcomers apart; over all time, ranked totals. */
export function followerBoard(members: ListedMember[], gains: Map<number, FollowerGain>, options: { allTime?: boolean; limit?: number } = {}): Pick<Board, 'rows' | 'size' | 'total' | 'newcomers'> {
  const { allTime = false, limit } = options;
  const totalOf = (m: ListedMember) => (gains.get(m.id) as Extract<FollowerGain, { total: number }>).total;
  if (allTime) {
    // Over all time everyone is "new": rank by total instead.
    const reported = members.filter((m) => gains.get(m.id)?.kind !== 'none' && gains.has(m.id));
    return { ...scoreBoard(reported, totalOf, limit, (m) => ({ total: totalOf(m) })), newcomers: [] };
  }
  const gainOf = (m: ListedMember) => gains.get(m.id) as Extract<FollowerGain, { kind: 'gain' }>;
  const gaining = members.filter((m) => gains.get(m.id)?.kind === 'gain');
  return {
    ...scoreBoard(gaining, (m) => gainOf(m).gain, limit, (m) => ({ percent: gainOf(m).percent, total: gainOf(m).total })),
    newcomers: members.flatMap((m) => {
      const gain = gains.get(m.id);
      return gain?.kind === 'new' ? [{ member: m, total: gain.total }] : [];
    }),
  };
}

/** A board of members ranked on one score each. */
function scoreBoard(members: ListedMember[], score: (m: ListedMember) => number, limit?: number, detail?: (m: ListedMember) => BoardRow['detail']): Pick<Board, 'rows' | 'size' | 'total'> {
  return {
    rows: rank(members, score, limit).map(({ rank: r, entry }) => ({ rank: r, member: entry, score: score(entry), ...(detail && { detail: detail(entry) }) })),
    size: members.length,
    total: members.reduce((sum, m) => sum + score(m), 0),
  };
}
