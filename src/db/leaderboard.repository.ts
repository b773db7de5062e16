import type { DateSpan } from '../domain/periods';
import type { Db } from './database';

/** Words each member of a group logged on the dates of a span. */
export async function wordsByMember(db: Db, groupId: number, span: DateSpan): Promise<Map<number, number>> {
  const rows = await db
    .selectFrom('logs')
    .select((eb) => ['member_id', eb.fn.sum<number>('words').as('words')])
    .where('group_id', '=', groupId)
    .where('local_date', '>=', span.from)
    .where('local_date', '<=', span.to)
    .groupBy('member_id')
    .execute();
  return new Map(rows.map((r) => [r.member_id, Number(r.words)]));
}

/** First-hour reads each member of a group gave between two instants. */
export async function firstHourReadsByMember(db: Db, groupId: number, start: number, end: number): Promise<Map<number, number>> {
  const rows = await db
    .selectFrom('reads')
    .innerJoin('publications', 'publications.id', 'reads.publication_id')
    .select((eb) => ['reads.member_id', eb.fn.countAll<number>().as('reads')])
    .where('publications.group_id', '=', groupId)
    .where('reads.first_hour', '=', 1)
    .where('reads.read_at', '>=', start)
    .where('reads.read_at', '<', end)
    .groupBy('reads.member_id')
    .execute();
  return new Map(rows.map((r) => [r.member_id, Number(r.reads)]));
}

/** A group's announcements between two instants, with their first-hour read counts. */
export async function publicationsBetween(db: Db, groupId: number, start: number, end: number) {
  const rows = await db
    .selectFrom('publications')
    .innerJoin('members', 'members.id', 'publications.member_id')
    .innerJoin('people', 'people.id', 'members.person_id')
    .leftJoin('reads', (join) => join.onRef('reads.publication_id', '=', 'publications.id').on('reads.first_hour', '=', 1))
    .select((eb) => ['publications.id', 'publications.title', 'publications.url', 'people.display_name', eb.fn.count<number>('reads.id').as('first_hour_reads')])
    .where('publications.group_id', '=', groupId)
    .where('publications.announced_at', '>=', start)
    .where('publications.announced_at', '<', end)
    .groupBy(['publications.id', 'publications.title', 'publications.url', 'people.display_name'])
    .orderBy('publications.id')
    .execute();
  return rows.map((r) => ({ ...r, first_hour_reads: Number(r.first_hour_reads) }));
}

/** Milestones reached in a group between two instants, with who reached them. */
export async function milestonesBetween(db: Db, groupId: number, start: number, end: number) {
  return db
    .selectFrom('milestones')
    .innerJoin('members', 'members.id', 'milestones.member_id')
    .innerJoin('people', 'people.id', 'members.person_id')
    .select(['milestones.member_id', 'milestones.kind', 'milestones.value', 'milestones.period_key', 'people.display_name', 'members.hidden'])
    .where('milestones.group_id', '=', groupId)
    .where('milestones.reached_at', '>=', start)
    .where('milestones.reached_at', '<', end)
    .orderBy('milestones.reached_at')
    .execute();
}

/** Members of a group who logged on a date. */
export async function membersWhoLogged(db: Db, groupId: number, date: string): Promise<Set<number>> {
  const rows = await db.selectFrom('logs').select('member_id').distinct().where('group_id', '=', groupId).where('local_date', '=', date).execute();
  return new Set(rows.map((r) => r.member_id));
}
