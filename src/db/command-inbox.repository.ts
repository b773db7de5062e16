import { sql } from 'kysely';
import type { ReplyAddress } from '../core/chat-adapter';
import type { Invocation } from '../core/invocation';
import type { CommandInboxRow } from './command-inbox.table';
import type { Db } from './database';

/** A stored command, as the inbox works with it. */
export interface InboxEntry {
  key: string;
  invocation: Invocation;
  replyTo?: ReplyAddress;
  receivedAt: number;
  attempts: number;
  /** Its change is in (or it changes nothing and was answered). */
  done: boolean;
}

/** The entry a row holds; undefined when its JSON cannot be read (it is then finished unanswered, never retried). */
export function toInboxEntry(row: CommandInboxRow): InboxEntry | undefined {
  try {
    return {
      key: row.idempotency_key,
      invocation: JSON.parse(row.invocation) as Invocation,
      ...(row.reply_to !== null && { replyTo: JSON.parse(row.reply_to) as ReplyAddress }),
      receivedAt: row.received_at,
      attempts: row.attempts,
      done: row.done_at !== null,
    };
  } catch {
    return undefined;
  }
}

/**
 * Stores a command as it arrives, claimed by the process that received it until `claimedUntil`.
 * False when its key is stored already (the platform delivered it twice).
 */
export async function insertInboxEntry(
  db: Db,
  entry: { invocation: Invocation; replyTo?: ReplyAddress; receivedAt: number; claimedBy: string; claimedUntil: number },
): Promise<boolean> {
  const { invocation } = entry;
  const row = await db
    .insertInto('command_inbox')
    .values({
      idempotency_key: invocation.idempotencyKey,
      workspace_id: `${invocation.conversation.platform}:${invocation.conversation.workspaceId}`,
      invocation: JSON.stringify(invocation),
      reply_to: entry.replyTo ? JSON.stringify(entry.replyTo) : null,
      received_at: entry.receivedAt,
      claimed_by: entry.claimedBy,
      claimed_until: entry.claimedUntil,
      attempts: 1,
    })
    .onConflict((oc) => oc.column('idempotency_key').doNothing())
    .returning('idempotency_key')
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * The answer reached the platform (or was given up on): the entry is finished, and done if it was not.
 * Where to answer (an interaction token, a response_url) is not kept past that.
 */
export async function markInboxAnswered(db: Db, key: string, now: number): Promise<void> {
  await db
    .updateTable('command_inbox')
    .set({ answered_at: now, done_at: sql<number>`coalesce(done_at, ${now})`, claimed_by: null, claimed_until: null, reply_to: null })
    .where('idempotency_key', '=', key)
    .execute();
}

/** Lets go of an entry whose answer could not be delivered this time, so a later round tries again. */
export async function releaseInboxEntry(db: Db, key: string, owner: string): Promise<void> {
  await db.updateTable('command_inbox').set({ claimed_by: null, claimed_until: null }).where('idempotency_key', '=', key).where('claimed_by', '=', owner).execute();
}

/** Keeps this process's claim on entries it is still running. */
export async function renewInboxClaims(db: Db, owner: string, keys: readonly string[], until: number): Promise<void> {
  if (keys.length === 0) return;
  await db.updateTable('command_inbox').set({ claimed_until: until }).where('claimed_by', '=', owner).where('idempotency_key', 'in', keys).execute();
}

/**
 * Claims up to `limit` unanswered entries received before `receivedBefore` whose claim has run out,
 * taking the oldest of each workspace in turn, so one workspace's backlog never holds up another's.
 * Each claim is a conditional update: when processes race for an entry, exactly one gets it.
 * Entries whose stored JSON cannot be read are finished on the spot and named in `unreadable`.
 */
export async function claimUnansweredEntries(
  db: Db,
  claim: { owner: string; now: number; until: number; receivedBefore: number; limit: number },
): Promise<{ claimed: InboxEntry[]; unreadable: string[] }> {
  const { owner, now, until, receivedBefore, limit } = claim;
  const ranked = db
    .selectFrom('command_inbox')
    .select(['idempotency_key', 'received_at', sql<number>`row_number() over (partition by workspace_id order by received_at)`.as('place')])
    .where('answered_at', 'is', null)
    .where('received_at', '<', receivedBefore)
    .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<', now)]));
  const candidates = await db.selectFrom(ranked.as('ranked')).select('idempotency_key').orderBy('place').orderBy('received_at').limit(limit).execute();
  const claimed: InboxEntry[] = [];
  const unreadable: string[] = [];
  for (const { idempotency_key: key } of candidates) {
    const row = await db
      .updateTable('command_inbox')
      .set((eb) => ({ claimed_by: owner, claimed_until: until, attempts: eb('attempts', '+', 1) }))
      .where('idempotency_key', '=', key)
      .where('answered_at', 'is', null)
      .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<', now)]))
      .returningAll()
      .executeTakeFirst();
    if (!row) continue;
    const entry = toInboxEntry(row);
    if (entry) claimed.push(entry);
    else unreadable.push(key);
  }
  // An entry that cannot be read would be claimed by every round: it is finished instead, and reported.
  if (unreadable.length) await db.updateTable('command_inbox').set({ answered_at: now, claimed_by: null, claimed_until: null }).where('idempotency_key', 'in', unreadable).execute();
  return { claimed, unreadable };
}

/** Forgets entries received before `olderThan`: past every platform's window for an answer. */
export async function pruneInbox(db: Db, olderThan: number): Promise<number> {
  const result = await db.deleteFrom('command_inbox').where('received_at', '<', olderThan).executeTakeFirst();
  return Number(result.numDeletedRows);
}
