import type { Actor } from '../core/invocation';
import type { Group } from '../domain/group';
import type { ListedMember, Member, Membership } from '../domain/member';
import type { Database, Db } from './database';
import { prepared } from './prepared';
import type { PersonRow } from './person.table';

const memberColumns = [
  'members.id',
  'members.group_id',
  'members.person_id',
  'people.user_id',
  'people.display_name',
  'people.timezone',
  'people.rollover_hour',
  'people.main_platform',
  'members.hidden',
  'members.remind_at',
] as const;

interface MemberJoinRow {
  id: number;
  group_id: number;
  person_id: number;
  user_id: string;
  display_name: string;
  timezone: string | null;
  rollover_hour: number;
  main_platform: string | null;
  hidden: number;
  remind_at: string | null;
}

function toMember(row: MemberJoinRow): Member {
  return {
    id: row.id,
    groupId: row.group_id,
    personId: row.person_id,
    userId: row.user_id,
    displayName: row.display_name,
    timezone: row.timezone,
    rolloverHour: row.rollover_hour,
    hidden: row.hidden === 1,
    remindAt: row.remind_at,
    mainPlatform: row.main_platform,
  };
}

function membersOf(db: Db, groupId: number) {
  return db
    .selectFrom('members')
    .innerJoin('people', 'people.id', 'members.person_id')
    .select(memberColumns)
    .where('members.group_id', '=', groupId);
}

/** What identifies a group's members: a person is unique by (platform, workspace, user id). */
export type GroupKey = Pick<Group, 'id' | 'platform' | 'workspaceId'>;

/**
 * A group's members by user id, found through the people's unique key and the membership's, so
 * each lookup is two index probes however many people the database holds.
 */
function membersByUserId(db: Db, group: GroupKey) {
  return db
    .selectFrom('people')
    .innerJoin('members', (join) => join.onRef('members.person_id', '=', 'people.id').on('members.group_id', '=', group.id))
    .select(memberColumns)
    .where('people.platform', '=', group.platform)
    .where('people.workspace_id', '=', group.workspaceId);
}

// Every command of a member not in the lookup cache runs this one: compiled once.
const memberByUserIdQuery = prepared((db: Db, a: { groupId: number; platform: GroupKey['platform']; workspaceId: string; userId: string }) =>
  membersByUserId(db, { id: a.groupId, platform: a.platform, workspaceId: a.workspaceId }).where('people.user_id', '=', a.userId),
);

export async function findMemberByUserId(db: Db, group: GroupKey, userId: string): Promise<Member | undefined> {
  const [row] = await memberByUserIdQuery(db, { groupId: group.id, platform: group.platform, workspaceId: group.workspaceId, userId });
  return row && toMember(row);
}

/** Members whose display name matches, ignoring letter case (there may be more than one). */
export async function findMembersByName(db: Db, groupId: number, name: string): Promise<Member[]> {
  const rows = await membersOf(db, groupId)
    .where((eb) => eb(eb.fn('lower', ['people.display_name']), '=', name.toLowerCase()))
    .execute();
  return rows.map(toMember);
}

export async function findMemberById(db: Db, memberId: number): Promise<Member | undefined> {
  const row = await db
    .selectFrom('members')
    .innerJoin('people', 'people.id', 'members.person_id')
    .select(memberColumns)
    .where('members.id', '=', memberId)
    .executeTakeFirst();
  return row && toMember(row);
}

export async function listMembers(db: Db, groupId: number): Promise<Member[]> {
  return (await membersOf(db, groupId).orderBy('members.id').execute()).map(toMember);
}

/** Members by id, with what a board shows of them. */
export async function findListedMembers(db: Db, memberIds: number[]): Promise<Map<number, ListedMember>> {
  if (memberIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('members')
    .innerJoin('people', 'people.id', 'members.person_id')
    .select(['members.id', 'people.display_name', 'people.timezone', 'people.rollover_hour'])
    .where('members.id', 'in', memberIds)
    .execute();
  return new Map(rows.map((row) => [row.id, { id: row.id, displayName: row.display_name, timezone: row.timezone, rolloverHour: row.rollover_hour }]));
}

/** The person behind an actor, created on first sight; their display name follows the platform's. */
export async function upsertPerson(db: Db, actor: Actor, now: number): Promise<number> {
  const row = await db
    .insertInto('people')
    .values({
      platform: actor.platform,
      workspace_id: actor.workspaceId,
      user_id: actor.userId,
      display_name: actor.displayName,
      timezone: null,
      main_platform: null,
      created_at: now,
    })
    .onConflict((oc) => oc.columns(['platform', 'workspace_id', 'user_id']).doUpdateSet({ display_name: actor.displayName }))
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function findPersonId(db: Db, actor: Pick<Actor, 'platform' | 'workspaceId' | 'userId'>): Promise<number | undefined> {
  const row = await db
    .selectFrom('people')
    .select('id')
    .where('platform', '=', actor.platform)
    .where('workspace_id', '=', actor.workspaceId)
    .where('user_id', '=', actor.userId)
    .executeTakeFirst();
  return row?.id;
}

export async function insertMember(db: Db, groupId: number, personId: number, now: number): Promise<void> {
  await db
    .insertInto('members')
    .values({ group_id: groupId, person_id: personId, joined_at: now })
    .onConflict((oc) => oc.columns(['group_id', 'person_id']).doNothing())
    .execute();
}

/** The tables that hold a member's own data: a membership with a row in none of them holds nothing yet. */
export const MEMBER_DATA_TABLES = ['logs', 'streaks', 'vacations', 'milestones', 'publications', 'reads', 'feeds', 'follower_snapshots', 'follower_periods', 'member_totals', 'sprint_participants', 'sprint_watchers', 'responses', 'goals', 'projects', 'challenge_members'] as const satisfies readonly (keyof Database)[];

/** Deletes a membership that holds nothing: no data in any table and every preference at its default. */
export async function deleteBareMember(db: Db, memberId: number): Promise<void> {
  await db
    .deleteFrom('members')
    .where('id', '=', memberId)
    .where('first_hour_reader', '=', 0)
    .where('hidden', '=', 0)
    .where('remind_at', 'is', null)
    .where('follower_total', 'is', null)
    .where(({ and, exists, not, selectFrom }) => and(MEMBER_DATA_TABLES.map((table) => not(exists(selectFrom(table).select('member_id').where('member_id', '=', memberId))))))
    .execute();
}

/** Deletes a person with no membership left and no setting of their own. */
export async function deleteBarePerson(db: Db, personId: number): Promise<void> {
  await db
    .deleteFrom('people')
    .where('id', '=', personId)
    .where('timezone', 'is', null)
    .where('rollover_hour', '=', 0)
    .where('main_platform', 'is', null)
    .where(({ exists, not, selectFrom }) => not(exists(selectFrom('members').select('id').where('person_id', '=', personId))))
    .execute();
}

export async function updateDisplayName(db: Db, personId: number, displayName: string): Promise<void> {
  await db.updateTable('people').set({ display_name: displayName }).where('id', '=', personId).execute();
}

export async function updatePersonCalendar(
  db: Db,
  personId: number,
  calendar: { timezone?: string | null; rollover_hour?: number },
): Promise<void> {
  await db.updateTable('people').set(calendar).where('id', '=', personId).execute();
}

/** Every membership of a person, across the groups of their workspace. */
export async function listMemberships(db: Db, personId: number): Promise<Membership[]> {
  const rows = await db.selectFrom('members').select(['id', 'group_id']).where('person_id', '=', personId).execute();
  return rows.map((r) => ({ id: r.id, groupId: r.group_id }));
}

export async function deletePerson(db: Db, personId: number): Promise<void> {
  await db.deleteFrom('people').where('id', '=', personId).execute();
}

export async function findPerson(db: Db, personId: number): Promise<PersonRow> {
  return db.selectFrom('people').selectAll().where('id', '=', personId).executeTakeFirstOrThrow();
}

/** A person's memberships with the channel of each group. */
export async function listMembershipsOf(db: Db, personId: number) {
  return db
    .selectFrom('members')
    .innerJoin('groups', 'groups.id', 'members.group_id')
    .select(['members.id', 'members.group_id', 'members.joined_at', 'members.hidden', 'members.remind_at', 'groups.channel_id'])
    .where('members.person_id', '=', personId)
    .orderBy('members.id')
    .execute();
}

export async function updateMemberPreferences(db: Db, memberId: number, preferences: { hidden?: number; page_hidden?: number; remind_at?: string | null }): Promise<void> {
  await db.updateTable('members').set(preferences).where('id', '=', memberId).execute();
}

export async function setMainPlatform(db: Db, personId: number, platform: string): Promise<void> {
  await db.updateTable('people').set({ main_platform: platform }).where('id', '=', personId).execute();
}

/** Members who asked for the streak-at-risk nudge, across all groups. */
export async function listMembersWithReminders(db: Db): Promise<Member[]> {
  const rows = await db
    .selectFrom('members')
    .innerJoin('people', 'people.id', 'members.person_id')
    .select(memberColumns)
    .where('members.remind_at', 'is not', null)
    .orderBy('members.id')
    .execute();
  return rows.map(toMember);
}

/** Memberships of many users of one group at once. */
export async function findMembersByUserIds(db: Db, group: GroupKey, userIds: string[]): Promise<Member[]> {
  if (userIds.length === 0) return [];
  return (await membersByUserId(db, group).where('people.user_id', 'in', userIds).execute()).map(toMember);
}

/** Creates people and their memberships of a group in bulk (existing ones are left as they are). */
export async function insertPeopleAndMembers(db: Db, groupId: number, actors: Actor[], now: number): Promise<void> {
  if (actors.length === 0) return;
  const people = await db
    .insertInto('people')
    .values(actors.map((a) => ({ platform: a.platform, workspace_id: a.workspaceId, user_id: a.userId, display_name: a.displayName, timezone: null, main_platform: null, created_at: now })))
    .onConflict((oc) => oc.columns(['platform', 'workspace_id', 'user_id']).doUpdateSet((eb) => ({ display_name: eb.ref('excluded.display_name') })))
    .returning('id')
    .execute();
  await db
    .insertInto('members')
    .values(people.map((p) => ({ group_id: groupId, person_id: p.id, joined_at: now, remind_at: null })))
    .onConflict((oc) => oc.columns(['group_id', 'person_id']).doNothing())
    .execute();
}
