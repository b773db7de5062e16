import type { ListedMember } from '../domain/member';
import type { Sprint, SprintParticipant } from '../domain/sprint';
import type { Db } from './database';
import { prepared } from './prepared';
import type { SprintParticipantRow, SprintRow } from './sprint.table';

export function toSprint(row: SprintRow): Sprint {
  return {
    id: row.id,
    groupId: row.group_id,
    channelId: row.channel_id,
    starterUserId: row.starter_user_id,
    minutes: row.minutes,
    startAt: row.start_at,
    endAt: row.end_at,
    windowClosesAt: row.window_closes_at,
    announcementMessageId: row.announcement_message_id,
    cancelledAt: row.cancelled_at,
    finishedAt: row.finished_at,
    chain: { position: row.chain_position, length: row.chain_length, gapMinutes: row.chain_gap_minutes },
  };
}

type ParticipantWithName = SprintParticipantRow & { user_id: string; display_name: string };

export function toSprintParticipant(row: ParticipantWithName): SprintParticipant {
  return {
    memberId: row.member_id,
    userId: row.user_id,
    displayName: row.display_name,
    startCount: row.start_count,
    finalCount: row.final_count,
    joinedAt: row.joined_at,
  };
}

/** The key a channel's open sprint holds: unique, so a second sprint in the channel cannot be inserted. */
export function channelKey(groupId: number, channelId: string): string {
  return `${groupId}:${channelId}`;
}

export async function insertSprint(
  db: Db,
  sprint: Pick<SprintRow, 'group_id' | 'channel_id' | 'starter_user_id' | 'minutes' | 'start_at' | 'end_at' | 'window_closes_at' | 'event_key' | 'created_at' | 'chain_position' | 'chain_length' | 'chain_gap_minutes'>,
): Promise<number | undefined> {
  const row = await db
    .insertInto('sprints')
    .values({ ...sprint, open_in_channel: channelKey(sprint.group_id, sprint.channel_id), announcement_message_id: null, cancelled_at: null, finished_at: null })
    .onConflict((oc) => oc.doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id;
}

export async function findSprint(db: Db, id: number): Promise<Sprint | undefined> {
  const row = await db.selectFrom('sprints').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toSprint(row);
}

export async function findSprintByEventKey(db: Db, eventKey: string): Promise<Sprint | undefined> {
  const row = await db.selectFrom('sprints').selectAll().where('event_key', '=', eventKey).executeTakeFirst();
  return row && toSprint(row);
}

/** The sprint under way in a channel (not yet finished or cancelled), if any. */
// The queries every count runs are compiled once: a sprint's last minute brings a count from everyone at once.
const openSprintQuery = prepared((db: Db, a: { key: string }) => db.selectFrom('sprints').selectAll().where('open_in_channel', '=', a.key));

export async function findOpenSprint(db: Db, groupId: number, channelId: string): Promise<Sprint | undefined> {
  const [row] = await openSprintQuery(db, { key: channelKey(groupId, channelId) });
  return row && toSprint(row);
}

export async function setSprintAnnouncement(db: Db, id: number, messageId: string): Promise<void> {
  await db.updateTable('sprints').set({ announcement_message_id: messageId }).where('id', '=', id).execute();
}

/** Ends a sprint that is still open; false if it was already over (cancelled or finished by another delivery). */
export async function closeSprint(db: Db, id: number, how: { cancelledAt: number } | { finishedAt: number }): Promise<boolean> {
  const set = 'cancelledAt' in how ? { cancelled_at: how.cancelledAt } : { finished_at: how.finishedAt };
  const result = await db
    .updateTable('sprints')
    .set({ ...set, open_in_channel: null })
    .where('id', '=', id)
    .where('cancelled_at', 'is', null)
    .where('finished_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function deleteSprint(db: Db, id: number): Promise<void> {
  await db.deleteFrom('sprints').where('id', '=', id).execute();
}

export async function listParticipants(db: Db, sprintId: number): Promise<SprintParticipant[]> {
  const rows = await db
    .selectFrom('sprint_participants')
    .innerJoin('members', 'members.id', 'sprint_participants.member_id')
    .innerJoin('people', 'people.id', 'members.person_id')
    .selectAll('sprint_participants')
    .select(['people.user_id', 'people.display_name'])
    .where('sprint_participants.sprint_id', '=', sprintId)
    .orderBy('sprint_participants.joined_at')
    .orderBy('sprint_participants.member_id')
    .execute();
  return rows.map(toSprintParticipant);
}

const participantQuery = prepared((db: Db, a: { sprintId: number; memberId: number }) =>
  db.selectFrom('sprint_participants').selectAll().where('sprint_id', '=', a.sprintId).where('member_id', '=', a.memberId),
);

export async function findParticipant(db: Db, sprintId: number, memberId: number): Promise<SprintParticipantRow | undefined> {
  const [row] = await participantQuery(db, { sprintId, memberId });
  return row;
}

/** Adds a participant; false if they were in already. */
export async function insertParticipant(db: Db, row: Pick<SprintParticipantRow, 'sprint_id' | 'member_id' | 'start_count' | 'joined_at'>): Promise<boolean> {
  const inserted = await db
    .insertInto('sprint_participants')
    .values({ ...row, final_count: null, counted_at: null })
    .onConflict((oc) => oc.columns(['sprint_id', 'member_id']).doNothing())
    .returning('member_id')
    .executeTakeFirst();
  return inserted !== undefined;
}

export async function deleteParticipant(db: Db, sprintId: number, memberId: number): Promise<boolean> {
  const result = await db.deleteFrom('sprint_participants').where('sprint_id', '=', sprintId).where('member_id', '=', memberId).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

export async function setFinalCount(db: Db, sprintId: number, memberId: number, finalCount: number, now: number): Promise<void> {
  await db.updateTable('sprint_participants').set({ final_count: finalCount, counted_at: now }).where('sprint_id', '=', sprintId).where('member_id', '=', memberId).execute();
}

/** Adds words to a participant's latest count in one statement, so counts sent together all add up; the new total. */
const addToFinalCountQuery = prepared((db: Db, a: { sprintId: number; memberId: number; words: number; now: number }) =>
  db
    .updateTable('sprint_participants')
    .set((eb) => ({ final_count: eb(eb.fn.coalesce('final_count', 'start_count'), '+', a.words), counted_at: a.now }))
    .where('sprint_id', '=', a.sprintId)
    .where('member_id', '=', a.memberId)
    .returning('final_count'),
);

export async function addToFinalCount(db: Db, sprintId: number, memberId: number, words: number, now: number): Promise<number> {
  const [row] = await addToFinalCountQuery(db, { sprintId, memberId, words, now });
  if (!row) throw new Error(`sprint ${sprintId} has no participant ${memberId}`);
  return row.final_count ?? 0;
}

/** A member's latest finished sprint: its length, when it ended, and their counts in it. */
export async function latestFinishedSprint(db: Db, memberId: number) {
  return db
    .selectFrom('sprint_participants')
    .innerJoin('sprints', 'sprints.id', 'sprint_participants.sprint_id')
    .select(['sprints.id as sprintId', 'sprints.minutes', 'sprints.end_at as endAt', 'sprint_participants.start_count as startCount', 'sprint_participants.final_count as finalCount'])
    .where('sprint_participants.member_id', '=', memberId)
    .where('sprints.finished_at', 'is not', null)
    .orderBy('sprints.end_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** The count a member ended their latest finished sprint with, for `join same`. */
export async function lastSprintCount(db: Db, memberId: number): Promise<number | undefined> {
  const row = await db
    .selectFrom('sprint_participants')
    .innerJoin('sprints', 'sprints.id', 'sprint_participants.sprint_id')
    .select(['sprint_participants.start_count', 'sprint_participants.final_count'])
    .where('sprint_participants.member_id', '=', memberId)
    .where('sprints.finished_at', 'is not', null)
    .where('sprint_participants.start_count', 'is not', null)
    .orderBy('sprints.end_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? (row.final_count ?? row.start_count ?? undefined) : undefined;
}

/** Each member's earlier finished sprints, with the counts and times their best WPM is worked out from. */
export async function earlierSprintEntries(db: Db, memberIds: number[], before: number) {
  if (memberIds.length === 0) return [];
  return db
    .selectFrom('sprint_participants')
    .innerJoin('sprints', 'sprints.id', 'sprint_participants.sprint_id')
    .select(['sprint_participants.member_id as memberId', 'sprint_participants.start_count as startCount', 'sprint_participants.final_count as finalCount', 'sprint_participants.joined_at as joinedAt', 'sprints.start_at as startAt', 'sprints.end_at as endAt'])
    .where('sprint_participants.member_id', 'in', memberIds)
    .where('sprints.finished_at', 'is not', null)
    .where('sprints.end_at', '<', before)
    .where('sprint_participants.start_count', 'is not', null)
    .execute();
}

/** Every sprint the members took part in, with their counts, oldest first (for /export). */
export async function listSprintEntriesOf(db: Db, memberIds: number[]) {
  if (memberIds.length === 0) return [];
  return db
    .selectFrom('sprint_participants')
    .innerJoin('sprints', 'sprints.id', 'sprint_participants.sprint_id')
    .select([
      'sprint_participants.member_id as memberId',
      'sprints.id as sprintId',
      'sprints.minutes',
      'sprints.end_at as endAt',
      'sprints.cancelled_at as cancelledAt',
      'sprint_participants.start_count as startCount',
      'sprint_participants.final_count as finalCount',
      'sprint_participants.joined_at as joinedAt',
    ])
    .where('sprint_participants.member_id', 'in', memberIds)
    .orderBy('sprints.start_at')
    .orderBy('sprints.id')
    .execute();
}

/** Which of the members are on their group's sprint list. */
export async function watchingMembers(db: Db, memberIds: number[]): Promise<Set<number>> {
  if (memberIds.length === 0) return new Set();
  const rows = await db.selectFrom('sprint_watchers').select('member_id').where('member_id', 'in', memberIds).execute();
  return new Set(rows.map((r) => r.member_id));
}

export async function setWatching(db: Db, groupId: number, memberId: number, on: boolean): Promise<void> {
  if (on) await db.insertInto('sprint_watchers').values({ member_id: memberId, group_id: groupId }).onConflict((oc) => oc.column('member_id').doNothing()).execute();
  else await db.deleteFrom('sprint_watchers').where('member_id', '=', memberId).execute();
}

/** The user ids on a group's sprint list. */
export async function listWatchers(db: Db, groupId: number): Promise<string[]> {
  const rows = await db
    .selectFrom('sprint_watchers')
    .innerJoin('members', 'members.id', 'sprint_watchers.member_id')
    .innerJoin('people', 'people.id', 'members.person_id')
    .select('people.user_id')
    .where('sprint_watchers.group_id', '=', groupId)
    .orderBy('people.user_id')
    .execute();
  return rows.map((r) => r.user_id);
}

/**
 * A group's sprinters between two instants (sprints that finished there): words written in sprints
 * and sprints joined, most words first, hidden members left out; the first `limit` only.
 */
export async function topSprinters(db: Db, groupId: number, start: number, end: number, limit: number | undefined) {
  let query = db
    .selectFrom('sprint_participants')
    .innerJoin('sprints', 'sprints.id', 'sprint_participants.sprint_id')
    .innerJoin('members', 'members.id', 'sprint_participants.member_id')
    .innerJoin('people', 'people.id', 'members.person_id')
    .select((eb) => [
      'members.id as member_id',
      'people.display_name',
      'people.timezone',
      'people.rollover_hour',
      eb.fn.sum<number>(eb.fn.coalesce(eb('sprint_participants.final_count', '-', eb.ref('sprint_participants.start_count')), eb.val(0))).as('words'),
      eb.fn.countAll<number>().as('sprints'),
    ])
    .where('sprints.group_id', '=', groupId)
    .where('sprints.finished_at', 'is not', null)
    .where('sprints.end_at', '>=', start)
    .where('sprints.end_at', '<', end)
    .where('members.hidden', '=', 0)
    .groupBy(['members.id', 'people.display_name', 'people.timezone', 'people.rollover_hour'])
    .orderBy('words', 'desc')
    .orderBy('sprints', 'desc')
    .orderBy('members.id');
  if (limit !== undefined) query = query.limit(limit);
  const rows = await query.execute();
  return rows.map((r) => ({
    member: { id: r.member_id, displayName: r.display_name, timezone: r.timezone, rolloverHour: r.rollover_hour } satisfies ListedMember,
    words: Number(r.words),
    sprints: Number(r.sprints),
  }));
}

/** How many sprints of a group finished (posted results) with an end between two instants. */
export async function countFinishedSprints(db: Db, groupId: number, start: number, end: number): Promise<number> {
  const row = await db
    .selectFrom('sprints')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('group_id', '=', groupId)
    .where('finished_at', 'is not', null)
    .where('end_at', '>=', start)
    .where('end_at', '<', end)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}
