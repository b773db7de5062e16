import type { Challenge, ChallengeInput, ChallengeKind } from '../domain/challenges';
import type { LocalDate } from '../domain/local-date';
import { periodKeyOfSpan } from '../domain/periods';
import type { ChallengeRow } from './challenge.table';
import type { Db } from './database';

export function toChallenge(row: ChallengeRow): Challenge {
  return {
    id: row.id,
    groupId: row.group_id,
    name: row.name,
    kind: row.kind as ChallengeKind,
    target: Number(row.target),
    startDate: row.start_date,
    endDate: row.end_date,
  };
}

/** Adds a challenge; undefined when the group has one of that name. */
export async function insertChallenge(db: Db, groupId: number, challenge: ChallengeInput, createdBy: string, now: number): Promise<number | undefined> {
  const row = await db
    .insertInto('challenges')
    .values({
      group_id: groupId,
      name: challenge.name,
      name_key: challenge.key,
      kind: challenge.kind,
      target: challenge.target,
      start_date: challenge.startDate,
      end_date: challenge.endDate,
      created_by: createdBy,
      created_at: now,
    })
    .onConflict((oc) => oc.columns(['group_id', 'name_key']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id;
}

export async function findChallenge(db: Db, id: number): Promise<Challenge | undefined> {
  const row = await db.selectFrom('challenges').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toChallenge(row);
}

export async function findChallengeByName(db: Db, groupId: number, key: string): Promise<Challenge | undefined> {
  const row = await db.selectFrom('challenges').selectAll().where('group_id', '=', groupId).where('name_key', '=', key).executeTakeFirst();
  return row && toChallenge(row);
}

/** The group's challenges that end on or after a date, soonest ending first. */
export async function challengesEndingFrom(db: Db, groupId: number, date: LocalDate): Promise<Challenge[]> {
  const rows = await db.selectFrom('challenges').selectAll().where('group_id', '=', groupId).where('end_date', '>=', date).orderBy('end_date').orderBy('id').execute();
  return rows.map(toChallenge);
}

/** How many of the group's challenges end on or after a date. */
export async function countChallengesEndingFrom(db: Db, groupId: number, date: LocalDate): Promise<number> {
  const row = await db
    .selectFrom('challenges')
    .select((eb) => eb.fn.countAll<number>().as('open'))
    .where('group_id', '=', groupId)
    .where('end_date', '>=', date)
    .executeTakeFirstOrThrow();
  return Number(row.open);
}

/** The group's most recent challenges, newest first (for the board when none is running). */
export async function latestChallenges(db: Db, groupId: number, limit: number): Promise<Challenge[]> {
  const rows = await db.selectFrom('challenges').selectAll().where('group_id', '=', groupId).orderBy('end_date', 'desc').orderBy('id', 'desc').limit(limit).execute();
  return rows.map(toChallenge);
}

/** Adds a member to a challenge; false if they were in already. */
export async function joinChallenge(db: Db, challengeId: number, memberId: number, joinedOn: LocalDate, now: number): Promise<boolean> {
  const row = await db
    .insertInto('challenge_members')
    .values({ challenge_id: challengeId, member_id: memberId, joined_on: joinedOn, joined_at: now })
    .onConflict((oc) => oc.columns(['challenge_id', 'member_id']).doNothing())
    .returning('member_id')
    .executeTakeFirst();
  return row !== undefined;
}

export async function isInChallenge(db: Db, challengeId: number, memberId: number): Promise<boolean> {
  const row = await db.selectFrom('challenge_members').select('member_id').where('challenge_id', '=', challengeId).where('member_id', '=', memberId).executeTakeFirst();
  return row !== undefined;
}

/** Each participant's count over the challenge's dates, with the date they joined and whether they hide from boards. */
export interface ChallengeEntry {
  memberId: number;
  joinedOn: LocalDate;
  done: number;
  hidden: boolean;
}

/**
 * Every participant's count, in one statement. A words or days challenge over a whole week, month or
 * year reads the running totals of that period; any other span adds up the participants' logs of
 * its dates (one index range per member); an articles challenge counts announcements between the
 * instants its dates start and end in the group's zone.
 */
export async function challengeEntries(db: Db, challenge: Challenge, group: { weekStart: number }, instants: { start: number; end: number }): Promise<ChallengeEntry[]> {
  const base = db
    .selectFrom('challenge_members')
    .innerJoin('members', 'members.id', 'challenge_members.member_id')
    .where('challenge_members.challenge_id', '=', challenge.id)
    .select(['challenge_members.member_id', 'challenge_members.joined_on', 'members.hidden']);
  const period = periodKeyOfSpan({ from: challenge.startDate, to: challenge.endDate }, group.weekStart);
  let rows: { member_id: number; joined_on: string; hidden: number; done: number | string | null }[];
  if (challenge.kind === 'publish') {
    rows = await base
      .leftJoin('publications', (join) =>
        join
          .onRef('publications.member_id', '=', 'challenge_members.member_id')
          .on('publications.group_id', '=', challenge.groupId)
          .on('publications.announced_at', '>=', instants.start)
          .on('publications.announced_at', '<', instants.end),
      )
      .select((eb) => eb.fn.count<number>('publications.id').as('done'))
      .groupBy(['challenge_members.member_id', 'challenge_members.joined_on', 'members.hidden'])
      .execute();
  } else if (period) {
    const column = challenge.kind === 'words' ? 'member_totals.words' : 'member_totals.days';
    rows = await base
      .leftJoin('member_totals', (join) => join.onRef('member_totals.member_id', '=', 'challenge_members.member_id').on('member_totals.period', '=', period))
      .select(`${column} as done`)
      .execute();
  } else {
    rows = await base
      .leftJoin('logs', (join) =>
        join.onRef('logs.member_id', '=', 'challenge_members.member_id').on('logs.local_date', '>=', challenge.startDate).on('logs.local_date', '<=', challenge.endDate),
      )
      .select((eb) => (challenge.kind === 'words' ? eb.fn.sum<number>('logs.words').as('done') : eb.fn.count<number>('logs.local_date').distinct().as('done')))
      .groupBy(['challenge_members.member_id', 'challenge_members.joined_on', 'members.hidden'])
      .execute();
  }
  return rows.map((r) => ({ memberId: r.member_id, joinedOn: r.joined_on, done: Number(r.done ?? 0), hidden: r.hidden === 1 }));
}

/** The participants' count per date of the challenge (words, writers, or announcement instants), for the group's chart. */
export async function challengeByDate(db: Db, challenge: Challenge, instants: { start: number; end: number }): Promise<{ dates: Map<LocalDate, number>; announcedAt: number[] }> {
  const members = db.selectFrom('challenge_members').select('member_id').where('challenge_id', '=', challenge.id);
  if (challenge.kind === 'publish') {
    const rows = await db
      .selectFrom('publications')
      .select('announced_at')
      .where('group_id', '=', challenge.groupId)
      .where('announced_at', '>=', instants.start)
      .where('announced_at', '<', instants.end)
      .where('member_id', 'in', members)
      .execute();
    return { dates: new Map(), announcedAt: rows.map((r) => Number(r.announced_at)) };
  }
  const rows = await db
    .selectFrom('logs')
    .select((eb) => ['local_date', challenge.kind === 'words' ? eb.fn.sum<number>('words').as('n') : eb.fn.count<number>('member_id').distinct().as('n')])
    .where('member_id', 'in', members)
    .where('local_date', '>=', challenge.startDate)
    .where('local_date', '<=', challenge.endDate)
    .groupBy('local_date')
    .execute();
  return { dates: new Map(rows.map((r) => [r.local_date, Number(r.n)])), announcedAt: [] };
}

/** The challenges a member joined, with when (for /export). */
export async function listChallengeEntriesOf(db: Db, memberIds: number[]) {
  if (memberIds.length === 0) return [];
  return db
    .selectFrom('challenge_members')
    .innerJoin('challenges', 'challenges.id', 'challenge_members.challenge_id')
    .select(['challenge_members.member_id', 'challenges.name', 'challenges.kind', 'challenges.target', 'challenges.start_date', 'challenges.end_date', 'challenge_members.joined_on'])
    .where('challenge_members.member_id', 'in', memberIds)
    .orderBy('challenges.id')
    .execute();
}
