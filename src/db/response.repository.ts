import type { ArticleResponse, ResponseDelivery } from '../domain/response';
import type { Db } from './database';
import type { ResponseRow } from './response.table';

type ResponseJoinRow = ResponseRow & { display_name: string };

function toResponse(row: ResponseJoinRow): ArticleResponse {
  return {
    id: row.id,
    publicationId: row.publication_id,
    memberId: row.member_id,
    readerName: row.display_name,
    text: row.text,
    delivery: row.delivery as ResponseDelivery,
    firstSentAt: Number(row.first_sent_at),
    sentAt: Number(row.sent_at),
    posted: row.message_channel_id && row.message_id ? { channelId: row.message_channel_id, threadId: row.message_thread_id, messageId: row.message_id } : null,
  };
}

function withReader(db: Db) {
  return db
    .selectFrom('responses')
    .innerJoin('members', 'members.id', 'responses.member_id')
    .innerJoin('people', 'people.id', 'members.person_id')
    .selectAll('responses')
    .select('people.display_name');
}

export async function findResponse(db: Db, publicationId: number, memberId: number): Promise<ArticleResponse | undefined> {
  const row = await withReader(db).where('responses.publication_id', '=', publicationId).where('responses.member_id', '=', memberId).executeTakeFirst();
  return row && toResponse(row);
}

export async function findResponseById(db: Db, id: number): Promise<ArticleResponse | undefined> {
  const row = await withReader(db).where('responses.id', '=', id).executeTakeFirst();
  return row && toResponse(row);
}

/** Whether a delivery already sent a response (a re-delivered form). */
export async function responseEventSeen(db: Db, eventKey: string): Promise<boolean> {
  return (await db.selectFrom('responses').select('id').where('event_key', '=', eventKey).executeTakeFirst()) !== undefined;
}

/** Inserts a member's first response to an article; undefined when they have one already (or the delivery was seen). */
export async function insertResponse(
  db: Db,
  row: { publicationId: number; memberId: number; text: string; delivery: ResponseDelivery; sentAt: number; eventKey: string },
): Promise<number | undefined> {
  const inserted = await db
    .insertInto('responses')
    .values({
      publication_id: row.publicationId,
      member_id: row.memberId,
      text: row.text,
      delivery: row.delivery,
      first_sent_at: row.sentAt,
      sent_at: row.sentAt,
      message_channel_id: null,
      message_thread_id: null,
      message_id: null,
      event_key: row.eventKey,
    })
    .onConflict((oc) => oc.doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted?.id;
}

/** Replaces a response's text and delivery; where it was posted is kept only when it stays in the thread. */
export async function replaceResponse(db: Db, id: number, change: { text: string; delivery: ResponseDelivery; sentAt: number }): Promise<void> {
  await db
    .updateTable('responses')
    .set({
      text: change.text,
      delivery: change.delivery,
      sent_at: change.sentAt,
      ...(change.delivery === 'private' && { message_channel_id: null, message_thread_id: null, message_id: null }),
    })
    .where('id', '=', id)
    .execute();
}

export async function setResponseMessage(db: Db, id: number, where: { channelId: string; threadId: string | null; messageId: string }): Promise<void> {
  await db
    .updateTable('responses')
    .set({ message_channel_id: where.channelId, message_thread_id: where.threadId, message_id: where.messageId })
    .where('id', '=', id)
    .execute();
}

/** How many responses a member sent (first or replaced) since an instant. */
export async function countSendingsSince(db: Db, memberId: number, since: number): Promise<number> {
  const row = await db
    .selectFrom('responses')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('member_id', '=', memberId)
    .where('sent_at', '>=', since)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** A response to one of an author's articles, with the article. */
export interface ReceivedResponse extends ArticleResponse {
  title: string;
  url: string;
}

/** Responses to an author's articles announced since an instant, newest article first, then in the order they came. */
export async function responsesToAuthor(db: Db, authorMemberId: number, since: number, limit: number): Promise<ReceivedResponse[]> {
  const rows = await withReader(db)
    .innerJoin('publications', 'publications.id', 'responses.publication_id')
    .select(['publications.title', 'publications.url'])
    .where('publications.member_id', '=', authorMemberId)
    .where('publications.announced_at', '>=', since)
    .orderBy('publications.announced_at', 'desc')
    .orderBy('publications.id', 'desc')
    .orderBy('responses.first_sent_at')
    .orderBy('responses.id')
    .limit(limit)
    .execute();
  return rows.map((row) => ({ ...toResponse(row), title: row.title, url: row.url }));
}

/** Responses a member gave (to others' articles) and received (on their own) since an instant. */
export async function responseBalance(db: Db, memberId: number, since: number): Promise<{ given: number; received: number }> {
  const given = await db
    .selectFrom('responses')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('member_id', '=', memberId)
    .where('first_sent_at', '>=', since)
    .executeTakeFirstOrThrow();
  const received = await db
    .selectFrom('responses')
    .innerJoin('publications', 'publications.id', 'responses.publication_id')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('publications.member_id', '=', memberId)
    .where('responses.first_sent_at', '>=', since)
    .executeTakeFirstOrThrow();
  return { given: Number(given.n), received: Number(received.n) };
}

/** How many members responded to an article. */
export async function countResponses(db: Db, publicationId: number): Promise<number> {
  const row = await db
    .selectFrom('responses')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('publication_id', '=', publicationId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The thread an announcement's responses are posted in, once one was opened. */
export async function findResponseThread(db: Db, publicationId: number): Promise<string | null> {
  const row = await db.selectFrom('publications').select('response_thread_id').where('id', '=', publicationId).executeTakeFirst();
  return row?.response_thread_id ?? null;
}

export async function setResponseThread(db: Db, publicationId: number, threadId: string): Promise<void> {
  await db.updateTable('publications').set({ response_thread_id: threadId }).where('id', '=', publicationId).execute();
}

export async function responsesOff(db: Db, memberId: number): Promise<boolean> {
  const row = await db.selectFrom('members').select('responses_off').where('id', '=', memberId).executeTakeFirst();
  return row?.responses_off === 1;
}

export async function setResponsesOff(db: Db, memberId: number, off: boolean): Promise<void> {
  await db.updateTable('members').set({ responses_off: off ? 1 : 0 }).where('id', '=', memberId).execute();
}

/** A response taken back (by /forget, or with its article): who gave it, to whom, when and where. */
export interface WithdrawnResponse {
  readerId: number;
  authorId: number;
  groupId: number;
  firstSentAt: number;
}

/** The responses some members wrote, or that some articles received, as they would be withdrawn. */
export async function responsesToWithdraw(db: Db, which: { writtenBy?: number[]; onPublications?: number[] }): Promise<WithdrawnResponse[]> {
  const writers = which.writtenBy ?? [];
  const articles = which.onPublications ?? [];
  if (writers.length === 0 && articles.length === 0) return [];
  const rows = await db
    .selectFrom('responses')
    .innerJoin('publications', 'publications.id', 'responses.publication_id')
    .select(['responses.member_id', 'publications.member_id as author_id', 'publications.group_id', 'responses.first_sent_at'])
    .where((eb) =>
      eb.or([
        ...(writers.length ? [eb('responses.member_id', 'in', writers)] : []),
        ...(articles.length ? [eb('responses.publication_id', 'in', articles)] : []),
      ]),
    )
    .execute();
  return rows.map((r) => ({ readerId: r.member_id, authorId: r.author_id, groupId: r.group_id, firstSentAt: Number(r.first_sent_at) }));
}

/** Responses some members wrote (for /export). */
export async function listResponsesWrittenBy(db: Db, memberIds: number[]) {
  if (memberIds.length === 0) return [];
  return db
    .selectFrom('responses')
    .innerJoin('publications', 'publications.id', 'responses.publication_id')
    .select(['responses.member_id', 'responses.text', 'responses.delivery', 'responses.first_sent_at', 'responses.sent_at', 'publications.url', 'publications.title'])
    .where('responses.member_id', 'in', memberIds)
    .orderBy('responses.id')
    .execute();
}

/** Responses to some members' articles (for /export), with who wrote them. */
export async function listResponsesReceivedBy(db: Db, memberIds: number[]) {
  if (memberIds.length === 0) return [];
  return db
    .selectFrom('responses')
    .innerJoin('publications', 'publications.id', 'responses.publication_id')
    .innerJoin('members', 'members.id', 'responses.member_id')
    .innerJoin('people', 'people.id', 'members.person_id')
    .select(['publications.member_id', 'responses.text', 'responses.delivery', 'responses.first_sent_at', 'responses.sent_at', 'publications.url', 'publications.title', 'people.display_name'])
    .where('publications.member_id', 'in', memberIds)
    .orderBy('responses.id')
    .execute();
}

/** Where the responses some members wrote were posted (a thread), with their group's platform and workspace. */
export async function postedResponsesOf(db: Db, memberIds: number[]): Promise<{ platform: string; workspaceId: string; channelId: string; threadId: string | null; messageId: string }[]> {
  if (memberIds.length === 0) return [];
  const rows = await db
    .selectFrom('responses')
    .innerJoin('publications', 'publications.id', 'responses.publication_id')
    .innerJoin('groups', 'groups.id', 'publications.group_id')
    .select(['groups.platform', 'groups.workspace_id', 'responses.message_channel_id', 'responses.message_thread_id', 'responses.message_id'])
    .where('responses.member_id', 'in', memberIds)
    .where('responses.message_id', 'is not', null)
    .execute();
  return rows.flatMap((r) =>
    r.message_channel_id && r.message_id
      ? [{ platform: r.platform, workspaceId: r.workspace_id, channelId: r.message_channel_id, threadId: r.message_thread_id, messageId: r.message_id }]
      : [],
  );
}
