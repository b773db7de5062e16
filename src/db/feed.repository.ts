import type { MemberFeed } from '../domain/feed';
import type { Db } from './database';
import type { FeedRow } from './feed.table';

export async function insertFeed(
  db: Db,
  feed: { groupId: number; memberId: number; url: string; title: string; etag: string | null; lastModified: string | null; nextPollAt: number },
  now: number,
): Promise<number | undefined> {
  const row = await db
    .insertInto('feeds')
    .values({
      group_id: feed.groupId,
      member_id: feed.memberId,
      url: feed.url,
      title: feed.title,
      etag: feed.etag,
      last_modified: feed.lastModified,
      added_at: now,
      next_poll_at: feed.nextPollAt,
      first_failure_at: null,
      last_error: null,
      lease_owner: null,
      lease_until: null,
    })
    .onConflict((oc) => oc.columns(['member_id', 'url']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id;
}

function toMemberFeed(row: Pick<FeedRow, 'id' | 'url' | 'title' | 'failures' | 'last_error'>): MemberFeed {
  return { id: row.id, url: row.url, title: row.title, failures: row.failures, lastError: row.last_error };
}

export async function listMemberFeeds(db: Db, memberId: number): Promise<MemberFeed[]> {
  const rows = await db.selectFrom('feeds').select(['id', 'url', 'title', 'failures', 'last_error']).where('member_id', '=', memberId).orderBy('id').execute();
  return rows.map(toMemberFeed);
}

export async function listFeedsOf(db: Db, memberIds: number[]): Promise<FeedRow[]> {
  if (memberIds.length === 0) return [];
  return db.selectFrom('feeds').selectAll().where('member_id', 'in', memberIds).orderBy('id').execute();
}

export async function deleteFeed(db: Db, id: number): Promise<void> {
  await db.deleteFrom('feeds').where('id', '=', id).execute();
}

/**
 * Leases feeds that are due to `owner` until `leaseUntil`: a conditional update per feed, so two
 * processes never poll the same feed at once; an expired lease (a process that died) is taken over.
 */
export async function leaseDueFeeds(db: Db, options: { now: number; owner: string; leaseUntil: number; limit: number }): Promise<FeedRow[]> {
  const { now, owner, leaseUntil, limit } = options;
  const due = await db
    .selectFrom('feeds')
    .select('id')
    .where('next_poll_at', '<=', now)
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)]))
    .orderBy('next_poll_at')
    .limit(limit)
    .execute();
  const leased: FeedRow[] = [];
  for (const { id } of due) {
    const row = await db
      .updateTable('feeds')
      .set({ lease_owner: owner, lease_until: leaseUntil })
      .where('id', '=', id)
      .where('next_poll_at', '<=', now)
      .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)]))
      .returningAll()
      .executeTakeFirst();
    if (row) leased.push(row);
  }
  return leased;
}

export async function findSeenItemKeys(db: Db, feedId: number, keys: string[]): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const rows = await db.selectFrom('feed_items').select('item_key').where('feed_id', '=', feedId).where('item_key', 'in', keys).execute();
  return new Set(rows.map((r) => r.item_key));
}

/** Records item keys as seen; returns the ones that were new. */
export async function markItemsSeen(db: Db, feedId: number, keys: string[], now: number): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const rows = await db
    .insertInto('feed_items')
    .values(keys.map((key) => ({ feed_id: feedId, item_key: key, seen_at: now })))
    .onConflict((oc) => oc.columns(['feed_id', 'item_key']).doNothing())
    .returning('item_key')
    .execute();
  return new Set(rows.map((r) => r.item_key));
}

export async function recordFeedSuccess(
  db: Db,
  id: number,
  result: { etag: string | null; lastModified: string | null; title?: string; nextPollAt: number },
): Promise<void> {
  await db
    .updateTable('feeds')
    .set({
      etag: result.etag,
      last_modified: result.lastModified,
      ...(result.title && { title: result.title }),
      next_poll_at: result.nextPollAt,
      failures: 0,
      first_failure_at: null,
      last_error: null,
      failure_notified: 0,
      lease_owner: null,
      lease_until: null,
    })
    .where('id', '=', id)
    .execute();
}

export async function recordFeedFailure(
  db: Db,
  id: number,
  failure: { failures: number; firstFailureAt: number; error: string; nextPollAt: number; notified: boolean },
): Promise<void> {
  await db
    .updateTable('feeds')
    .set({
      failures: failure.failures,
      first_failure_at: failure.firstFailureAt,
      last_error: failure.error.slice(0, 300),
      next_poll_at: failure.nextPollAt,
      failure_notified: failure.notified ? 1 : 0,
      lease_owner: null,
      lease_until: null,
    })
    .where('id', '=', id)
    .execute();
}
