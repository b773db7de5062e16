import type { LocalDate } from '../domain/local-date';
import type { ListedMember, Membership } from '../domain/member';
import type { DateSpan } from '../domain/periods';
import { EMPTY_STREAK, type StreakState, type StreakView } from '../domain/streak';
import type { SelectQueryBuilder } from 'kysely';
import type { Database, Db } from './database';
import { prepared } from './prepared';
import type { StreakRow } from './streak.table';

function toStreakState(row: StreakRow): StreakState {
  return {
    current: row.current,
    longest: row.longest,
    freezes: row.freezes,
    run: row.run,
    startDate: row.start_date,
    lastDate: row.last_date,
    coveredUntil: row.covered_until ?? EMPTY_STREAK.coveredUntil,
    lastStart: row.last_start ?? EMPTY_STREAK.lastStart,
  };
}

const findStreakQuery = prepared((db: Db, args: { memberId: number }) => db.selectFrom('streaks').selectAll().where('member_id', '=', args.memberId));

export async function findStreak(db: Db, memberId: number): Promise<StreakState> {
  const [row] = await findStreakQuery(db, { memberId });
  return row ? toStreakState(row) : EMPTY_STREAK;
}

export async function findStreaks(db: Db, memberIds: number[]): Promise<Map<number, StreakState>> {
  if (memberIds.length === 0) return new Map();
  const rows = await db.selectFrom('streaks').selectAll().where('member_id', 'in', memberIds).execute();
  return new Map(rows.map((row) => [row.member_id, toStreakState(row)]));
}

const saveStreakQuery = prepared((db: Db, row: StreakRow) => {
  // A member's group never changes: only the streak is updated.
  const { member_id: _, group_id: __, ...values } = row;
  return db
    .insertInto('streaks')
    .values(row)
    .onConflict((oc) => oc.column('member_id').doUpdateSet(values));
});

export async function saveStreak(db: Db, member: Membership, state: StreakState, now: number): Promise<void> {
  await saveStreakQuery(db, {
    member_id: member.id,
    group_id: member.groupId,
    current: state.current,
    longest: state.longest,
    freezes: state.freezes,
    run: state.run,
    start_date: state.startDate,
    last_date: state.lastDate,
    covered_until: Number.isFinite(state.coveredUntil) ? state.coveredUntil : null,
    last_start: Number.isFinite(state.lastStart) ? state.lastStart : null,
    updated_at: now,
  });
}

/** A shown member's cached streak, with their calendar (to read it on a day) and the name to show. */
export interface MemberStreak {
  member: ListedMember;
  streak: StreakView;
}

/** The cached streaks of a group's members who are not hidden (a few are, so their ids are read apart). */
function shownStreaks(db: Db, groupId: number) {
  return db
    .selectFrom('streaks')
    .selectAll('streaks')
    .where('streaks.group_id', '=', groupId)
    .where('streaks.member_id', 'not in', db.selectFrom('members').select('id').where('group_id', '=', groupId).where('hidden', '=', 1));
}

/**
 * Streak rows, already narrowed down, with their member's calendar (to read them on a day) and name:
 * joined after narrowing, so a query that keeps a handful of a group's streaks looks up a handful.
 */
function withMembers<S extends StreakRow>(db: Db, streaks: SelectQueryBuilder<Database, 'streaks', S>) {
  return db
    .selectFrom(streaks.as('s'))
    .innerJoin('members', 'members.id', 's.member_id')
    .innerJoin('people', 'people.id', 'members.person_id')
    .select(['s.member_id', 'people.display_name', 'people.timezone', 'people.rollover_hour', 's.current', 's.longest', 's.freezes', 's.start_date', 's.last_date', 's.covered_until']);
}

interface MemberStreakRow extends Pick<StreakRow, 'member_id' | 'current' | 'longest' | 'freezes' | 'start_date' | 'last_date' | 'covered_until'> {
  display_name: string;
  timezone: string | null;
  rollover_hour: number;
}

function toMemberStreak(row: MemberStreakRow): MemberStreak {
  return {
    member: { id: row.member_id, displayName: row.display_name, timezone: row.timezone, rolloverHour: row.rollover_hour },
    streak: {
      current: row.current,
      longest: row.longest,
      freezes: row.freezes,
      startDate: row.start_date,
      lastDate: row.last_date,
      coveredUntil: row.covered_until ?? EMPTY_STREAK.coveredUntil,
    },
  };
}

/** Shown members' streaks, longest cached first (current, then longest, then join order): a page, or all. */
export async function streaksByLength(db: Db, groupId: number, page?: { offset: number; size: number }): Promise<MemberStreak[]> {
  const streaks = shownStreaks(db, groupId)
    .orderBy('streaks.current', 'desc')
    .orderBy('streaks.longest', 'desc')
    .orderBy('streaks.member_id')
    .$call((q) => (page ? q.limit(page.size).offset(page.offset) : q));
  const rows = await withMembers(db, streaks).orderBy('s.current', 'desc').orderBy('s.longest', 'desc').orderBy('s.member_id').execute();
  return rows.map(toMemberStreak);
}

/** Shown members whose current streak began on a date of a span: how many, and the first `limit` to join. */
export async function streaksBegunIn(db: Db, groupId: number, span: DateSpan, limit: number): Promise<{ count: number; members: ListedMember[] }> {
  const begun = shownStreaks(db, groupId)
    .select((eb) => eb.fn.countAll<number>().over().as('count'))
    .where('streaks.start_date', '>=', span.from)
    .where('streaks.start_date', '<=', span.to)
    .where('streaks.last_date', 'is not', null)
    .orderBy('streaks.member_id')
    .limit(limit);
  const rows = await withMembers(db, begun).select('s.count').orderBy('s.member_id').execute();
  return { count: Number(rows[0]?.count ?? 0), members: rows.map((row) => toMemberStreak(row).member) };
}

/**
 * Shown members' streaks of at least `minimum` days whose last date is before `lastBefore` and whose
 * covered time ends within (`coveredAfter`, `coveredAtMost`], or that have a vacation: the few a
 * check of which streaks ended in a week needs to read, in join order.
 */
export async function streaksCoveredBetween(
  db: Db,
  groupId: number,
  bounds: { minimum: number; lastBefore: LocalDate; coveredAfter: number; coveredAtMost: number },
): Promise<MemberStreak[]> {
  const candidates = () =>
    shownStreaks(db, groupId).where('streaks.current', '>=', bounds.minimum).where('streaks.last_date', '<', bounds.lastBefore).where('streaks.covered_until', '<=', bounds.coveredAtMost);
  // Two index ranges, not one filter over every streak: those whose covered time ends in the window,
  // and those of the group's members with a vacation (union drops a streak found by both).
  const covered = candidates()
    .where('streaks.covered_until', '>', bounds.coveredAfter)
    .union(
      candidates().where(
        'streaks.member_id',
        'in',
        db.selectFrom('vacations').innerJoin('members', 'members.id', 'vacations.member_id').select('vacations.member_id').where('members.group_id', '=', groupId),
      ),
    );
  const rows = await withMembers(db, covered).orderBy('s.member_id').execute();
  return rows.map(toMemberStreak);
}
