import type { PageArticle, PageReader } from '../domain/web-page';
import type { Db } from './database';
import { prepared } from './prepared';

/** The salt a group's page link is derived from, if it has one yet. */
export async function findPageSalt(db: Db, groupId: number): Promise<string | undefined> {
  const row = await db.selectFrom('page_tokens').select('salt').where('group_id', '=', groupId).executeTakeFirst();
  return row?.salt;
}

/** Sets a group's link (its salt and the hash of the token): the previous link stops working. */
export async function savePageToken(db: Db, groupId: number, salt: string, tokenHash: string, now: number): Promise<void> {
  await db
    .insertInto('page_tokens')
    .values({ group_id: groupId, salt, token_hash: tokenHash, created_at: now })
    .onConflict((oc) => oc.column('group_id').doUpdateSet({ salt, token_hash: tokenHash, created_at: now }))
    .execute();
}

/** The group whose link has this token hash, and its salt. */
export async function findByTokenHash(db: Db, tokenHash: string): Promise<{ groupId: number; salt: string } | undefined> {
  const [row] = await tokenQuery(db, { tokenHash });
  return row && { groupId: row.group_id, salt: row.salt };
}

// Every request for a page looks its link up: compiled once.
const tokenQuery = prepared((db: Db, a: { tokenHash: string }) => db.selectFrom('page_tokens').select(['group_id', 'salt']).where('token_hash', '=', a.tokenHash));

/** The deployment's page key: the one stored, or `fresh` stored now (processes starting together agree on the first). */
export async function pageSecret(db: Db, fresh: string): Promise<string> {
  await db.insertInto('page_secrets').values({ id: 1, secret: fresh }).onConflict((oc) => oc.column('id').doNothing()).execute();
  const row = await db.selectFrom('page_secrets').select('secret').where('id', '=', 1).executeTakeFirstOrThrow();
  return row.secret;
}

/** Members of a group who left its page only (/privacy dashboard off). */
export async function pageHiddenMembers(db: Db, groupId: number): Promise<Set<number>> {
  const rows = await db.selectFrom('members').select('id').where('group_id', '=', groupId).where('page_hidden', '=', 1).execute();
  return new Set(rows.map((r) => r.id));
}

/** Whether a member of this group may be shown on its page. */
export async function shownOnPage(db: Db, groupId: number, memberId: number): Promise<boolean> {
  const row = await db.selectFrom('members').select(['hidden', 'page_hidden']).where('id', '=', memberId).where('group_id', '=', groupId).executeTakeFirst();
  return row !== undefined && row.hidden === 0 && row.page_hidden === 0;
}

function articles(db: Db, groupId: number) {
  return db
    .selectFrom('publications')
    .innerJoin('members', 'members.id', 'publications.member_id')
    .innerJoin('people', 'people.id', 'members.person_id')
    .select((eb) => [
      'publications.id',
      'publications.title',
      'publications.url',
      'publications.member_id',
      'publications.announced_at',
      'people.display_name',
      eb.selectFrom('reads').select(eb.fn.countAll<number>().as('n')).whereRef('reads.publication_id', '=', 'publications.id').where('reads.first_hour', '=', 1).as('first_hour_reads'),
      eb.selectFrom('reads').select(eb.fn.countAll<number>().as('n')).whereRef('reads.publication_id', '=', 'publications.id').where('reads.first_hour', '=', 0).as('later_reads'),
    ])
    .where('publications.group_id', '=', groupId)
    .where('members.hidden', '=', 0)
    .where('members.page_hidden', '=', 0);
}

type ArticleRow = {
  id: number;
  title: string;
  url: string;
  member_id: number;
  announced_at: number;
  display_name: string;
  first_hour_reads: number | string | null;
  later_reads: number | string | null;
};

function toPageArticle(row: ArticleRow): PageArticle {
  return {
    id: row.id,
    title: row.title,
    url: row.url,
    authorId: row.member_id,
    authorName: row.display_name,
    announcedAt: Number(row.announced_at),
    firstHourReads: Number(row.first_hour_reads ?? 0),
    laterReads: Number(row.later_reads ?? 0),
  };
}

/** A group's latest articles by members shown on its page, newest first, with their read counts. */
export async function recentArticles(db: Db, groupId: number, limit: number): Promise<PageArticle[]> {
  const rows = await articles(db, groupId).orderBy('publications.announced_at', 'desc').orderBy('publications.id', 'desc').limit(limit).execute();
  return rows.map(toPageArticle);
}

/** One member's articles in the group, newest first. */
export async function articlesBy(db: Db, groupId: number, memberId: number, limit: number): Promise<PageArticle[]> {
  const rows = await articles(db, groupId).where('publications.member_id', '=', memberId).orderBy('publications.announced_at', 'desc').orderBy('publications.id', 'desc').limit(limit).execute();
  return rows.map(toPageArticle);
}

/** One article of the group, if its author is shown on the page. */
export async function findPageArticle(db: Db, groupId: number, publicationId: number): Promise<PageArticle | undefined> {
  const row = await articles(db, groupId).where('publications.id', '=', publicationId).executeTakeFirst();
  return row && toPageArticle(row);
}

/** Who read an article, in the order they read it. */
export async function articleReaders(db: Db, publicationId: number): Promise<PageReader[]> {
  const rows = await db
    .selectFrom('reads')
    .innerJoin('members', 'members.id', 'reads.member_id')
    .innerJoin('people', 'people.id', 'members.person_id')
    .select(['reads.member_id', 'people.display_name', 'reads.first_hour', 'members.hidden', 'members.page_hidden'])
    .where('reads.publication_id', '=', publicationId)
    .orderBy('reads.read_at')
    .orderBy('reads.id')
    .execute();
  return rows.map((r) => ({ memberId: r.member_id, name: r.display_name, firstHour: r.first_hour === 1, hidden: r.hidden === 1 || r.page_hidden === 1 }));
}
