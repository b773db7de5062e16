import { EMPTY_STREAK, type StreakState } from '../domain/streak';
import type { Db } from './database';
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
  const { member_id: _, ...values } = row;
  return db
    .insertInto('streaks')
    .values(row)
    .onConflict((oc) => oc.column('member_id').doUpdateSet(values));
});

export async function saveStreak(db: Db, memberId: number, state: StreakState, now: number): Promise<void> {
  await saveStreakQuery(db, {
    member_id: memberId,
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
