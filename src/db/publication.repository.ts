import type { Publication } from '../domain/publication';
import type { Db } from './database';
import type { PublicationRow } from './publication.table';

const publicationColumns = [
  'publications.id',
  'publications.group_id',
  'publications.member_id',
  'publications.url',
  'publications.canonical_url',
  'publications.title',
  'publications.source',
  'publications.announced_at',
  'publications.window_ends_at',
  'publications.message_channel_id',
  'publications.message_id',
  'publications.closed_at',
  'people.display_name',
  'people.user_id',
] as const;

type PublicationJoinRow = Omit<PublicationRow, 'last_edit_at' | 'response_thread_id'> & { display_name: string; user_id: string };

function toPublication(row: PublicationJoinRow): Publication {
  return {
    id: row.id,
    groupId: row.group_id,
    memberId: row.member_id,
    authorName: row.display_name,
    authorUserId: row.user_id,
    url: row.url,
    canonicalUrl: row.canonical_url,
    title: row.title,
    source: row.source,
    announcedAt: row.announced_at,
    windowEndsAt: row.window_ends_at,
    announcement: row.message_channel_id && row.message_id ? { channelId: row.message_channel_id, messageId: row.message_id } : null,
    closedAt: row.closed_at,
  };
}

function withAuthor(db: Db) {
  return db
    .selectFrom('publications')
    .innerJoin('members', 'members.id', 'publications.member_id')
    .innerJoin('people', 'people.id', 'members.person_id')
    .select(publicationColumns);
}

/** Inserts an announcement unless the group already has this canonical URL; returns the new id. */
export async function insertPublication(
  db: Db,
  row: Pick<PublicationRow, 'group_id' | 'member_id' | 'url' | 'canonical_url' | 'title' | 'source' | 'announced_at' | 'window_ends_at'>,
): Promise<number | undefined> {
  const inserted = await db
    .insertInto('publications')
    .values({ ...row, message_channel_id: null, message_id: null, last_edit_at: null, closed_at: null })
    .onConflict((oc) => oc.columns(['group_id', 'canonical_url']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted?.id;
}

export async function findPublication(db: Db, id: number): Promise<Publication | undefined> {
  const row = await withAuthor(db).where('publications.id', '=', id).executeTakeFirst();
  return row && toPublication(row);
}

export async function findPublicationByCanonicalUrl(db: Db, groupId: number, canonicalUrl: string): Promise<Publication | undefined> {
  const row = await withAuthor(db)
    .where('publications.group_id', '=', groupId)
    .where('publications.canonical_url', '=', canonicalUrl)
    .executeTakeFirst();
  return row && toPublication(row);
}

/** A read taken back with its announcement: who gave it, when, and in which group. */
export interface WithdrawnRead {
  memberId: number;
  groupId: number;
  readAt: number;
  firstHour: boolean;
}

/**
 * Deletes the reads of some announcements (before the announcements themselves, which would take
 * them along unseen) and says which they were, so the readers' totals can give them back.
 */
export async function deleteReadsOf(db: Db, publicationIds: number[]): Promise<WithdrawnRead[]> {
  if (publicationIds.length === 0) return [];
  const groupOf = new Map(
    (await db.selectFrom('publications').select(['id', 'group_id']).where('id', 'in', publicationIds).execute()).map((p) => [p.id, p.group_id]),
  );
  const rows = await db.deleteFrom('reads').where('publication_id', 'in', publicationIds).returning(['publication_id', 'member_id', 'read_at', 'first_hour']).execute();
  return rows.map((r) => ({ memberId: r.member_id, groupId: groupOf.get(r.publication_id)!, readAt: Number(r.read_at), firstHour: r.first_hour === 1 }));
}

/** The ids of the announcements some members made. */
export async function publicationIdsOf(db: Db, memberIds: number[]): Promise<number[]> {
  if (memberIds.length === 0) return [];
  return (await db.selectFrom('publications').select('id').where('member_id', 'in', memberIds).execute()).map((r) => r.id);
}

export async function deletePublication(db: Db, id: number): Promise<void> {
  await db.deleteFrom('publications').where('id', '=', id).execute();
}

export async function setAnnouncementMessage(db: Db, id: number, channelId: string, messageId: string): Promise<void> {
  await db.updateTable('publications').set({ message_channel_id: channelId, message_id: messageId }).where('id', '=', id).execute();
}

/** Renames an announcement, for its author only and only while its first hour is open; true if it was. */
export async function retitleOpenPublication(db: Db, id: number, change: { memberId: number; title: string; now: number }): Promise<boolean> {
  const result = await db
    .updateTable('publications')
    .set({ title: change.title })
    .where('id', '=', id)
    .where('member_id', '=', change.memberId)
    .where('closed_at', 'is', null)
    .where('window_ends_at', '>=', change.now)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Takes the right to edit the announcement now, if nobody edited it in the last `intervalMs`. */
export async function claimEditSlot(db: Db, id: number, now: number, intervalMs: number): Promise<boolean> {
  const result = await db
    .updateTable('publications')
    .set({ last_edit_at: now })
    .where('id', '=', id)
    .where((eb) => eb.or([eb('last_edit_at', 'is', null), eb('last_edit_at', '<=', now - intervalMs)]))
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function markPublicationClosed(db: Db, id: number, now: number): Promise<void> {
  await db.updateTable('publications').set({ closed_at: now }).where('id', '=', id).execute();
}

/** The latest announcements in a group by anyone but `memberId` (by anyone at all for someone not yet a member), newest first. */
export async function recentPublicationsByOthers(db: Db, groupId: number, memberId: number | undefined, limit: number): Promise<Publication[]> {
  let query = withAuthor(db).where('publications.group_id', '=', groupId);
  if (memberId !== undefined) query = query.where('publications.member_id', '!=', memberId);
  const rows = await query
    .orderBy('publications.announced_at', 'desc')
    .orderBy('publications.id', 'desc')
    .limit(limit)
    .execute();
  return rows.map(toPublication);
}

export async function readPublicationIds(db: Db, memberId: number, publicationIds: number[]): Promise<Set<number>> {
  if (publicationIds.length === 0) return new Set();
  const rows = await db
    .selectFrom('reads')
    .select('publication_id')
    .where('member_id', '=', memberId)
    .where('publication_id', 'in', publicationIds)
    .execute();
  return new Set(rows.map((r) => r.publication_id));
}

/** Records reads once per member; returns the members whose read was new. */
export async function insertReads(db: Db, publicationId: number, memberIds: number[], readAt: number, firstHour: boolean): Promise<Set<number>> {
  if (memberIds.length === 0) return new Set();
  const rows = await db
    .insertInto('reads')
    .values(memberIds.map((memberId) => ({ publication_id: publicationId, member_id: memberId, read_at: readAt, first_hour: firstHour ? 1 : 0 })))
    .onConflict((oc) => oc.columns(['publication_id', 'member_id']).doNothing())
    .returning('member_id')
    .execute();
  return new Set(rows.map((r) => r.member_id));
}

export async function countReads(db: Db, publicationId: number): Promise<{ firstHour: number; late: number }> {
  const row = await db
    .selectFrom('reads')
    .select((eb) => [
      eb.fn.coalesce(eb.fn.sum<number>('first_hour'), eb.lit(0)).as('first_hour'),
      eb.fn.countAll<number>().as('total'),
    ])
    .where('publication_id', '=', publicationId)
    .executeTakeFirstOrThrow();
  const firstHour = Number(row.first_hour);
  return { firstHour, late: Number(row.total) - firstHour };
}

/** Display names of the first-hour readers, in the order they read. */
export async function firstHourReaderNames(db: Db, publicationId: number): Promise<string[]> {
  const rows = await db
    .selectFrom('reads')
    .innerJoin('members', 'members.id', 'reads.member_id')
    .innerJoin('people', 'people.id', 'members.person_id')
    .select('people.display_name')
    .where('reads.publication_id', '=', publicationId)
    .where('reads.first_hour', '=', 1)
    .orderBy('reads.read_at')
    .orderBy('reads.id')
    .execute();
  return rows.map((r) => r.display_name);
}

export interface ReadTally {
  firstHour: number;
  late: number;
}

/** Reads a member gave (of others' articles) and received (on their own) since an instant. */
export async function readBalance(db: Db, memberId: number, since: number): Promise<{ given: ReadTally; received: ReadTally }> {
  const tally = (firstHour: unknown, total: unknown) => ({ firstHour: Number(firstHour ?? 0), late: Number(total ?? 0) - Number(firstHour ?? 0) });
  const given = await db
    .selectFrom('reads')
    .select((eb) => [eb.fn.sum<number>('first_hour').as('first_hour'), eb.fn.countAll<number>().as('total')])
    .where('member_id', '=', memberId)
    .where('read_at', '>=', since)
    .executeTakeFirstOrThrow();
  const received = await db
    .selectFrom('reads')
    .innerJoin('publications', 'publications.id', 'reads.publication_id')
    .select((eb) => [eb.fn.sum<number>('reads.first_hour').as('first_hour'), eb.fn.countAll<number>().as('total')])
    .where('publications.member_id', '=', memberId)
    .where('reads.read_at', '>=', since)
    .executeTakeFirstOrThrow();
  return { given: tally(given.first_hour, given.total), received: tally(received.first_hour, received.total) };
}

/** User ids of the members who asked to be pinged for announcements. */
export async function listFirstHourReaders(db: Db, groupId: number): Promise<string[]> {
  const rows = await db
    .selectFrom('members')
    .innerJoin('people', 'people.id', 'members.person_id')
    .select('people.user_id')
    .where('members.group_id', '=', groupId)
    .where('members.first_hour_reader', '=', 1)
    .orderBy('members.id')
    .execute();
  return rows.map((r) => r.user_id);
}

export async function setFirstHourReader(db: Db, memberId: number, on: boolean): Promise<void> {
  await db.updateTable('members').set({ first_hour_reader: on ? 1 : 0 }).where('id', '=', memberId).execute();
}

/** Rows of the member's publications (for /export). */
export async function listPublicationsOf(db: Db, memberIds: number[]) {
  if (memberIds.length === 0) return [];
  return db.selectFrom('publications').selectAll().where('member_id', 'in', memberIds).orderBy('id').execute();
}

export async function listReadsBy(db: Db, memberIds: number[]) {
  if (memberIds.length === 0) return [];
  return db
    .selectFrom('reads')
    .innerJoin('publications', 'publications.id', 'reads.publication_id')
    .select(['reads.member_id', 'reads.read_at', 'reads.first_hour', 'publications.url', 'publications.title'])
    .where('reads.member_id', 'in', memberIds)
    .orderBy('reads.id')
    .execute();
}
