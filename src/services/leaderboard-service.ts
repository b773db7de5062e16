import { groupSnapshotsBetween, latestCountsBefore } from '../db/follower.repository';
import { firstHourReadsByMember, wordsByMember } from '../db/leaderboard.repository';
import { listMembers } from '../db/member.repository';
import { findStreaks } from '../db/streak.repository';
import { vacationsByMember } from '../db/vacation.repository';
import type { Group } from '../domain/group';
import { type FollowerGain, followerGain, rank } from '../domain/leaderboard';
import { dayEnd, dayStart, type LocalDate, localDateOf } from '../domain/local-date';
import { type Member, memberCalendar } from '../domain/member';
import { type DateSpan, type PeriodName, periodOf } from '../domain/periods';
import { EMPTY_STREAK, streakOn } from '../domain/streak';
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
    return this.boardFor(group, name, periodOf(period, this.today(group), group.weekStart), period === 'all');
  }

  /** A board over an explicit span (the digest's week). */
  async boardFor(group: Group, name: BoardName, span: DateSpan, allTime = false): Promise<Board> {
    const members = (await listMembers(this.deps.db, group.id)).filter((m) => !m.hidden);
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
        board.rows = await this.streakRows(group, members);
        break;
      case 'followers': {
        const gains = await this.followerGains(group, members, allTime ? 0 : start, Math.min(end, this.deps.clock.now() + 1));
        const gaining = members.filter((m) => gains.get(m.id)?.kind === 'gain');
        const gainOf = (m: Member) => gains.get(m.id) as Extract<FollowerGain, { kind: 'gain' }>;
        board.rows = rank(gaining, (m) => (allTime ? gainOf(m).total : gainOf(m).gain)).map(({ rank: r, entry }) => ({
          rank: r,
          member: entry,
          score: allTime ? gainOf(entry).total : gainOf(entry).gain,
          detail: { percent: gainOf(entry).percent, total: gainOf(entry).total },
        }));
        board.newcomers = members.flatMap((m) => {
          const gain = gains.get(m.id);
          return gain?.kind === 'new' ? [{ member: m, total: gain.total }] : [];
        });
        if (allTime) {
          // Over all time everyone is "new": rank by total instead.
          board.rows = rank([...board.rows.map((r) => ({ member: r.member, total: r.detail!.total! })), ...board.newcomers], (e) => e.total).map(
            ({ rank: r, entry }) => ({ rank: r, member: entry.member, score: entry.total, detail: { total: entry.total } }),
          );
          board.newcomers = [];
        }
        break;
      }
    }
    return board;
  }

  /**
   * Follower totals at the end of each week (oldest first): per member and for the whole group,
   * each member's total being the sum of their latest count on every platform.
   */
  async followerHistory(group: Group, weeks: DateSpan[]): Promise<{ total: number[]; members: Map<number, (number | null)[]> }> {
    const { start } = spanInstants(group, weeks[0]!);
    const ends = weeks.map((w) => spanInstants(group, w).end);
    const [baseline, during] = await Promise.all([
      latestCountsBefore(this.deps.db, group.id, start),
      groupSnapshotsBetween(this.deps.db, group.id, start, ends.at(-1)!),
    ]);
    const latest = new Map<number, Map<string, number>>();
    for (const [memberId, snapshots] of baseline) latest.set(memberId, new Map(snapshots.map((s) => [s.platform, s.count])));
    const members = new Map<number, (number | null)[]>();
    const total: number[] = [];
    let next = 0;
    ends.forEach((end, week) => {
      for (; next < during.length && during[next]!.recorded_at < end; next++) {
        const s = during[next]!;
        const platforms = latest.get(s.member_id) ?? new Map<string, number>();
        platforms.set(s.platform, s.count);
        latest.set(s.member_id, platforms);
      }
      let sum = 0;
      for (const [memberId, platforms] of latest) {
        const memberTotal = [...platforms.values()].reduce((a, b) => a + b, 0);
        sum += memberTotal;
        const series = members.get(memberId) ?? Array<number | null>(weeks.length).fill(null);
        series[week] = memberTotal;
        members.set(memberId, series);
      }
      total.push(sum);
    });
    return { total, members };
  }

  /** Follower gain of each member over [start, end). */
  async followerGains(group: Group, members: Member[], start: number, end: number): Promise<Map<number, FollowerGain>> {
    const [before, atEnd] = await Promise.all([latestCountsBefore(this.deps.db, group.id, start), latestCountsBefore(this.deps.db, group.id, end)]);
    return new Map(members.map((m) => [m.id, followerGain([...(before.get(m.id) ?? []), ...(atEnd.get(m.id) ?? [])], start, end)]));
  }

  private async streakRows(group: Group, members: Member[]): Promise<BoardRow[]> {
    const ids = members.map((m) => m.id);
    const [states, vacations] = await Promise.all([findStreaks(this.deps.db, ids), vacationsByMember(this.deps.db, ids)]);
    const now = this.deps.clock.now();
    const scored = members.map((member) => {
      const calendar = memberCalendar(member, group.timezone);
      const shown = streakOn(states.get(member.id) ?? EMPTY_STREAK, localDateOf(now, calendar), calendar, vacations.get(member.id) ?? []);
      return { member, current: shown.current, longest: shown.longest };
    });
    return rank(
      scored.filter((s) => s.longest > 0),
      (s) => [s.current, s.longest],
    ).map(({ rank: r, entry }) => ({ rank: r, member: entry.member, score: entry.current, detail: { longest: entry.longest } }));
  }
}

function ranked(members: Member[], score: (m: Member) => number): BoardRow[] {
  return rank(members, score).map(({ rank: r, entry }) => ({ rank: r, member: entry, score: score(entry) }));
}
