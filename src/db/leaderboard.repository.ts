import type { SelectQueryBuilder } from 'kysely';
import { rank } from '../domain/leaderboard';
import type { ListedMember } from '../domain/member';
import type { ReachedMilestone } from '../domain/milestones';
import type { DateSpan, PeriodKey } from '../domain/periods';
import type { PublicationReads } from '../domain/publication';
import type { Database, Db } from './database';
import { type RankedColumn, shownTotals } from './member-totals.repository';

/** A board's first places, ranked in SQL, with how many members scored and their scores added up. */
export interface TopScores {
  rows: { rank: number; member: ListedMember; score: number }[];
  size: number;
  total: number;
}

type Scores = SelectQueryBuilder<Database, keyof Database, { member_id: number; score: number }>;

/** A board's first places, ranked in SQL, each with the member's name. */
export type Places = TopScores['rows'];

interface PlaceRow {
  member_id: number;
  score: number | string;
  display_name: string;
  timezone: string | null;
  rollover_hour: number;
}

/** Ranked rows (score then member order) as a board's places. */
function toPlaces(rows: PlaceRow[]): Places {
  return rank(rows, (r) => Number(r.score)).map(({ rank: place, entry: r }) => ({
    rank: place,
    member: { id: r.member_id, displayName: r.display_name, timezone: r.timezone, rolloverHour: r.rollover_hour },
    score: Number(r.score),
  }));
}

/**
 * The members of a group with the highest scores summed in SQL (one row per member), hidden members
 * and scores of 0 left out, best first: only the first `limit` are read back, since a group may have
 * thousands of scorers and a board shows a handful. Ties keep member order. For spans that no kept
 * total answers (`topByTotals` answers the others).
 */
async function topScores(db: Db, groupId: number, scores: Scores, limit: number | undefined): Promise<TopScores> {
  let best = db
    .selectFrom(scores.as('s'))
    .select((eb) => ['s.member_id', 's.score', eb.fn.countAll<number>().over().as('size'), eb.fn.sum<number>('s.score').over().as('total')])
    .where('s.score', '>', 0)
    .where('s.member_id', 'not in', db.selectFrom('members').select('id').where('group_id', '=', groupId).where('hidden', '=', 1))
    .orderBy('s.score', 'desc')
    .orderBy('s.member_id');
  if (limit !== undefined) best = best.limit(limit);
  const rows = await db
    .selectFrom(best.as('b'))
    .innerJoin('members', 'members.id', 'b.member_id')
    .innerJoin('people', 'people.id', 'members.person_id')
    .select(['b.member_id', 'b.score', 'b.size', 'b.total', 'people.display_name', 'people.timezone', 'people.rollover_hour'])
    .orderBy('b.score', 'desc')
    .orderBy('b.member_id')
    .execute();
  return { rows: toPlaces(rows), size: Number(rows[0]?.size ?? 0), total: Number(rows[0]?.total ?? 0) };
}

/**
 * The first places of a period's running totals in one column: one index range of the group's
 * period, read in score order and stopped after `limit` rows, however big the group or long its history.
 */
export async function topByTotals(db: Db, groupId: number, period: PeriodKey, column: RankedColumn, limit?: number): Promise<Places> {
  let best = shownTotals(db, groupId, period, column)
    .select(['member_totals.member_id', `member_totals.${column} as score`])
    .orderBy(`member_totals.${column}`, 'desc')
    .orderBy('member_totals.member_id');
  if (limit !== undefined) best = best.limit(limit);
  const rows = await db
    .selectFrom(best.as('b'))
    .innerJoin('members', 'members.id', 'b.member_id')
    .innerJoin('people', 'people.id', 'members.person_id')
    .select(['b.member_id', 'b.score', 'people.display_name', 'people.timezone', 'people.rollover_hour'])
    .orderBy('b.score', 'desc')
    .orderBy('b.member_id')
    .execute();
  return toPlaces(rows);
}

/** The members of a group who wrote the most words on the dates of a span. */
export function topWriters(db: Db, groupId: number, span: DateSpan, limit?: number): Promise<TopScores> {
  const words = db
    .selectFrom('logs')
    .select((eb) => ['member_id', eb.fn.sum<number>('words').as('score')])
    .where('group_id', '=', groupId)
    .where('local_date', '>=', span.from)
    .where('local_date', '<=', span.to)
    .groupBy('member_id');
  return topScores(db, groupId, words, limit);
}

/** The members of a group who gave the most first-hour reads between two instants. */
export function topFirstHourReaders(db: Db, groupId: number, start: number, end: number, limit?: number): Promise<TopScores> {
  const reads = db
    .selectFrom('reads')
    .innerJoin('publications', 'publications.id', 'reads.publication_id')
    .select((eb) => ['reads.member_id', eb.fn.countAll<number>().as('score')])
    .where('publications.group_id', '=', groupId)
    .where('reads.first_hour', '=', 1)
    .where('reads.read_at', '>=', start)
    .where('reads.read_at', '<', end)
    .groupBy('reads.member_id');
  return topScores(db, groupId, reads, limit);
}

/** The members of a group who first sent the most responses between two instants. */
export function topResponders(db: Db, groupId: number, start: number, end: number, limit?: number): Promise<TopScores> {
  const responses = db
    .selectFrom('responses')
    .innerJoin('publications', 'publications.id', 'responses.publication_id')
    .select((eb) => ['responses.member_id', eb.fn.countAll<number>().as('score')])
    .where('publications.group_id', '=', groupId)
    .where('responses.first_sent_at', '>=', start)
    .where('responses.first_sent_at', '<', end)
    .groupBy('responses.member_id');
  return topScores(db, groupId, responses, limit);
}

function toPublicationReads(row: { id: number; title: string; url: string; display_name: string; first_hour_reads: number | string }): PublicationReads {
  return { id: row.id, title: row.title, url: row.url, authorName: row.display_name, firstHourReads: Number(row.first_hour_reads) };
}

/** A group's announcements between two instants, with their first-hour read counts. */
export async function publicationsBetween(db: Db, groupId: number, start: number, end: number): Promise<PublicationReads[]> {
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
  return rows.map(toPublicationReads);
}

function toReachedMilestone(row: { member_id: number; display_name: string; hidden: number; kind: string; value: number }): ReachedMilestone {
  return { memberId: row.member_id, memberName: row.display_name, memberHidden: row.hidden === 1, kind: row.kind, value: row.value };
}

/** Milestones reached in a group between two instants, with who reached them. */
export async function milestonesBetween(db: Db, groupId: number, start: number, end: number): Promise<ReachedMilestone[]> {
  const rows = await db
    .selectFrom('milestones')
    .innerJoin('members', 'members.id', 'milestones.member_id')
    .innerJoin('people', 'people.id', 'members.person_id')
    .select(['milestones.member_id', 'milestones.kind', 'milestones.value', 'people.display_name', 'members.hidden'])
    .where('milestones.group_id', '=', groupId)
    .where('milestones.reached_at', '>=', start)
    .where('milestones.reached_at', '<', end)
    .orderBy('milestones.reached_at')
    .execute();
  return rows.map(toReachedMilestone);
}

/** Members of a group who logged on a date. */
export async function membersWhoLogged(db: Db, groupId: number, date: string): Promise<Set<number>> {
  const rows = await db.selectFrom('logs').select('member_id').distinct().where('group_id', '=', groupId).where('local_date', '=', date).execute();
  return new Set(rows.map((r) => r.member_id));
}
