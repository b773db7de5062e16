import type { Goal, GoalInput, GoalKind, GoalPeriod } from '../domain/goals';
import type { LocalDate } from '../domain/local-date';
import type { Db } from './database';
import type { GoalRow } from './goal.table';
import { prepared } from './prepared';

export function toGoal(row: GoalRow): Goal {
  return {
    id: row.id,
    memberId: row.member_id,
    kind: row.kind as GoalKind,
    period: row.period as GoalPeriod | null,
    target: Number(row.target),
    byDate: row.by_date,
    startDate: row.start_date,
    achievedKey: row.achieved_key,
    celebratedAt: row.celebrated_at === null ? null : Number(row.celebrated_at),
  };
}

// Every /log reads its member's goals: compiled once.
const goalsQuery = prepared((db: Db, a: { memberId: number }) => db.selectFrom('goals').selectAll().where('member_id', '=', a.memberId).orderBy('id'));

export async function listGoals(db: Db, memberId: number): Promise<Goal[]> {
  return (await goalsQuery(db, { memberId })).map(toGoal);
}

/** Sets the member's goal of a kind, replacing the one before it (what was acknowledged starts afresh). */
export async function saveGoal(db: Db, member: { id: number; groupId: number }, goal: GoalInput, startDate: LocalDate, now: number): Promise<void> {
  const values = { period: goal.period, target: goal.target, by_date: goal.byDate, start_date: startDate, achieved_key: null, celebrated_at: null, created_at: now };
  await db
    .insertInto('goals')
    .values({ member_id: member.id, group_id: member.groupId, kind: goal.kind, ...values })
    .onConflict((oc) => oc.columns(['member_id', 'kind']).doUpdateSet(values))
    .execute();
}

/** Removes the member's goal of a kind; false if there was none. */
export async function deleteGoal(db: Db, memberId: number, kind: GoalKind): Promise<boolean> {
  const result = await db.deleteFrom('goals').where('member_id', '=', memberId).where('kind', '=', kind).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/** Records that a goal's target was reached in the period `key`; true only the first time, so it is acknowledged once. */
export async function markAchieved(db: Db, goalId: number, key: string): Promise<boolean> {
  const result = await db
    .updateTable('goals')
    .set({ achieved_key: key })
    .where('id', '=', goalId)
    .where((eb) => eb.or([eb('achieved_key', 'is', null), eb('achieved_key', '!=', key)]))
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Records that a long goal was celebrated in the group; true only the first time. */
export async function markCelebrated(db: Db, goalId: number, now: number): Promise<boolean> {
  const result = await db.updateTable('goals').set({ celebrated_at: now }).where('id', '=', goalId).where('celebrated_at', 'is', null).executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Rows of the members' goals (for /export). */
export async function listGoalRows(db: Db, memberIds: number[]): Promise<GoalRow[]> {
  if (memberIds.length === 0) return [];
  return db.selectFrom('goals').selectAll().where('member_id', 'in', memberIds).orderBy('id').execute();
}

/** The member's running totals (words and days written) of the given periods. */
export async function periodTotals(db: Db, memberId: number, periods: string[]): Promise<Map<string, { words: number; days: number }>> {
  if (periods.length === 0) return new Map();
  const rows = await db.selectFrom('member_totals').select(['period', 'words', 'days']).where('member_id', '=', memberId).where('period', 'in', periods).execute();
  return new Map(rows.map((r) => [r.period, { words: Number(r.words), days: Number(r.days) }]));
}

/** Days written per week, by the week's first date, from the running totals: one index range of the member's week rows. */
export async function daysByWeek(db: Db, memberId: number): Promise<Map<LocalDate, number>> {
  const rows = await db
    .selectFrom('member_totals')
    .select(['period', 'days'])
    .where('member_id', '=', memberId)
    .where('period', '>=', 'week:')
    .where('period', '<', 'week;')
    .execute();
  return new Map(rows.map((r) => [r.period.slice(5), Number(r.days)]));
}

/** Articles the member announced (by command or feed) between two instants. */
export async function countPublished(db: Db, member: { id: number; groupId: number }, start: number, end: number): Promise<number> {
  const row = await db
    .selectFrom('publications')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('group_id', '=', member.groupId)
    .where('announced_at', '>=', start)
    .where('announced_at', '<', end)
    .where('member_id', '=', member.id)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** A goal with the running totals of its period holding today (none for a day's goal or a long goal). */
export interface GoalWithTotals {
  goal: Goal;
  words: number;
  days: number;
}

// The one statement goals add to every /log: the member's goals, each with its period's running
// totals (the keys of today's week, month and year), compiled once.
const goalsWithTotalsQuery = prepared((db: Db, a: { memberId: number; week: string; month: string; year: string }) =>
  db
    .selectFrom('goals')
    .leftJoin('member_totals', (join) =>
      join
        .onRef('member_totals.member_id', '=', 'goals.member_id')
        .on((eb) =>
          eb(
            'member_totals.period',
            '=',
            eb.case('goals.period').when('week').then(a.week).when('month').then(a.month).when('year').then(a.year).else(null).end(),
          ),
        ),
    )
    .selectAll('goals')
    .select(['member_totals.words as period_words', 'member_totals.days as period_days'])
    .where('goals.member_id', '=', a.memberId)
    .orderBy('goals.id'),
);

export async function listGoalsWithTotals(db: Db, memberId: number, keys: { week: string; month: string; year: string }): Promise<GoalWithTotals[]> {
  const rows = await goalsWithTotalsQuery(db, { memberId, ...keys });
  return rows.map((row) => ({ goal: toGoal(row), words: Number(row.period_words ?? 0), days: Number(row.period_days ?? 0) }));
}
