import type { Vacation } from '../domain/streak';
import type { Db } from './database';
import { prepared } from './prepared';
import type { VacationRow } from './vacation.table';

const vacationsQuery = prepared((db: Db, args: { memberId: number }) =>
  db.selectFrom('vacations').select(['start_date', 'end_date']).where('member_id', '=', args.memberId).orderBy('start_date'),
);

export async function listVacations(db: Db, memberId: number): Promise<Vacation[]> {
  const rows = await vacationsQuery(db, { memberId });
  return rows.map((r) => ({ start: r.start_date, end: r.end_date }));
}

export async function findLatestVacation(db: Db, memberId: number): Promise<VacationRow | undefined> {
  return db.selectFrom('vacations').selectAll().where('member_id', '=', memberId).orderBy('start_date', 'desc').limit(1).executeTakeFirst();
}

export async function insertVacation(db: Db, memberId: number, startDate: string, now: number): Promise<void> {
  await db.insertInto('vacations').values({ member_id: memberId, start_date: startDate, end_date: null, created_at: now }).execute();
}

export async function endVacation(db: Db, id: number, endDate: string): Promise<void> {
  await db.updateTable('vacations').set({ end_date: endDate }).where('id', '=', id).execute();
}

export async function deleteVacation(db: Db, id: number): Promise<void> {
  await db.deleteFrom('vacations').where('id', '=', id).execute();
}

export async function listVacationRows(db: Db, memberIds: number[]): Promise<VacationRow[]> {
  if (memberIds.length === 0) return [];
  return db.selectFrom('vacations').selectAll().where('member_id', 'in', memberIds).orderBy('id').execute();
}

/** Ids bound per query: well under either dialect's limit. */
const IDS_PER_QUERY = 500;

/** The vacations of some members, by member: one index probe each, however big their group. */
export async function vacationsOfMembers(db: Db, memberIds: number[]): Promise<Map<number, Vacation[]>> {
  const byMember = new Map<number, Vacation[]>();
  const rows = [];
  for (let i = 0; i < memberIds.length; i += IDS_PER_QUERY)
    rows.push(...(await db.selectFrom('vacations').select(['member_id', 'start_date', 'end_date']).where('member_id', 'in', memberIds.slice(i, i + IDS_PER_QUERY)).orderBy('start_date').execute()));
  for (const row of rows) byMember.set(row.member_id, [...(byMember.get(row.member_id) ?? []), { start: row.start_date, end: row.end_date }]);
  return byMember;
}
