import type { Actor } from '../core/invocation';
import { UserError } from '../core/user-error';
import type { Db } from '../db/database';
import {
  deleteBareMember,
  deleteBarePerson,
  findMemberByUserId,
  findMembersByName,
  findMembersByUserIds,
  findPersonId,
  insertPeopleAndMembers,
  insertMember,
  listMemberships,
  updateDisplayName,
  updateMemberPreferences,
  updatePersonCalendar,
  upsertPerson,
} from '../db/member.repository';
import type { Group } from '../domain/group';
import { type Member, MAX_ROLLOVER_HOUR } from '../domain/member';
import { parseMemberReference } from '../domain/references';
import { requireZone } from './group-settings';
import type { ServiceDeps } from './service-deps';
import { TtlCache } from './ttl-cache';
import type { StreakService } from './streak-service';

const cacheKey = (groupId: number, userId: string) => `${groupId}|${userId}`;

/** A membership as `ensure` found or made it: `joined` when it is new, `newPerson` when the person is too. */
export interface Joining {
  member: Member;
  joined: boolean;
  newPerson: boolean;
}

export class MemberService {
  /** Memberships by group and user: looked up on nearly every command. */
  private readonly cache: TtlCache<Member>;

  constructor(
    private readonly deps: ServiceDeps,
    private readonly streaks: StreakService,
  ) {
    this.cache = new TtlCache(deps.clock, deps.settings.lookupCacheMs);
  }

  async find(group: Group, actor: Pick<Actor, 'userId'>, db: Db = this.deps.db): Promise<Member | undefined> {
    const key = cacheKey(group.id, actor.userId);
    const cached = this.cache.get(key);
    if (cached) return cached.value;
    const member = await findMemberByUserId(db, group, actor.userId);
    if (member) this.cache.set(key, member);
    return member;
  }

  /** Forgets what this process cached about a user's memberships, after changing them. */
  forgetCached(userId: string): void {
    this.cache.deleteWhere((key) => key.endsWith(`|${userId}`));
  }

  /**
   * The actor's membership, created on first sight (joining is implicit); the display name kept current.
   * A command joins in the transaction that makes its change, after its checks, so a refusal rolls the join back.
   */
  async ensure(group: Group, actor: Actor, db: Db = this.deps.db): Promise<Joining> {
    const existing = await this.find(group, actor, db);
    if (existing) {
      if (existing.displayName !== actor.displayName) {
        await updateDisplayName(db, existing.personId, actor.displayName);
        this.forgetCached(actor.userId);
        return { member: { ...existing, displayName: actor.displayName }, joined: false, newPerson: false };
      }
      return { member: existing, joined: false, newPerson: false };
    }
    const newPerson = (await findPersonId(db, actor)) === undefined;
    const personId = await upsertPerson(db, actor, this.deps.clock.now());
    await insertMember(db, group.id, personId, this.deps.clock.now());
    const member = await findMemberByUserId(db, group, actor.userId);
    if (!member) throw new Error(`membership of ${actor.userId} in group ${group.id} vanished while joining`);
    return { member, joined: true, newPerson };
  }

  /** /join: the person and the membership are made in one transaction, so a join that fails halfway keeps nothing. */
  join(group: Group, actor: Actor): Promise<Joining> {
    return this.deps.db.transaction().execute((trx) => this.ensure(group, actor, trx));
  }

  /**
   * Takes back a join whose command could not be carried out after it committed (an announcement the
   * platform refused), unless the member has stored something or changed a setting since.
   */
  async undoJoin(joining: Joining, db: Db = this.deps.db): Promise<void> {
    if (!joining.joined) return;
    await deleteBareMember(db, joining.member.id);
    if (joining.newPerson) await deleteBarePerson(db, joining.member.personId);
    this.forgetCached(joining.member.userId);
  }

  /**
   * `ensure` for many actors at once (a burst of button clicks): at most three queries whatever their
   * number. Display names are not refreshed here; the next command of each does that.
   */
  async ensureMany(group: Group, actors: Actor[], db: Db = this.deps.db): Promise<Map<string, Member>> {
    const found = new Map<string, Member>();
    const unknown = new Map<string, Actor>();
    for (const actor of actors) {
      const cached = this.cache.get(cacheKey(group.id, actor.userId));
      if (cached) found.set(actor.userId, cached.value);
      else unknown.set(actor.userId, actor);
    }
    const lookUp = async (ids: string[], remember: boolean) => {
      for (const member of await findMembersByUserIds(db, group, ids)) {
        found.set(member.userId, member);
        unknown.delete(member.userId);
        if (remember) this.cache.set(cacheKey(group.id, member.userId), member);
      }
    };
    if (unknown.size) await lookUp([...unknown.keys()], true);
    if (unknown.size) {
      await insertPeopleAndMembers(db, group.id, [...unknown.values()], this.deps.clock.now());
      // Not cached: new members exist only once the caller's transaction commits.
      await lookUp([...unknown.keys()], false);
    }
    return found;
  }

  async require(group: Group, actor: Actor): Promise<Member> {
    const member = await this.find(group, actor);
    if (!member) throw new UserError('not_member', "You haven't joined this group yet. Use /join, or just /log some writing.");
    return member;
  }

  /** The member a "whose? (default: yours)" option names: the reference if given, else the actor. */
  target(group: Group, actor: Actor, reference: string | undefined): Promise<Member> {
    return reference ? this.resolve(group, reference) : this.require(group, actor);
  }

  /** A member of this group from a mention or a name typed on the console. */
  async resolve(group: Group, reference: string): Promise<Member> {
    const ref = parseMemberReference(reference);
    const member = await findMemberByUserId(this.deps.db, group, 'userId' in ref ? ref.userId : ref.name);
    if (member) return member;
    if ('userId' in ref) throw new UserError('not_found', "That person isn't a member of this group.");
    return this.byName(group, ref.name);
  }

  /**
   * The user a reference names, for settings such as the admin list: a mention names anyone in the
   * workspace, member or not; a plain name must belong to exactly one member.
   */
  async userIdOf(group: Group, reference: string): Promise<string> {
    const ref = parseMemberReference(reference);
    return 'userId' in ref ? ref.userId : (await this.byName(group, ref.name)).userId;
  }

  private async byName(group: Group, name: string): Promise<Member> {
    const matches = await findMembersByName(this.deps.db, group.id, name);
    if (matches.length === 1) return matches[0]!;
    if (matches.length > 1) throw new UserError('bad_argument', `More than one member is called ${name}; use a mention.`);
    throw new UserError('not_found', `No member called "${name}" in this group.`);
  }

  /** Sets the person's zone for every group in the workspace; days already logged keep their dates. */
  async setTimezone(group: Group, actor: Actor, input: string): Promise<Member> {
    const timezone = input.trim().toLowerCase() === 'group' ? null : requireZone(input);
    return this.updateCalendar(group, actor, { timezone });
  }

  async setRollover(group: Group, actor: Actor, hour: number): Promise<Member> {
    if (!Number.isInteger(hour) || hour < 0 || hour > MAX_ROLLOVER_HOUR)
      throw new UserError('bad_argument', `The rollover hour must be a whole number from 0 to ${MAX_ROLLOVER_HOUR}.`);
    return this.updateCalendar(group, actor, { rollover_hour: hour });
  }

  /** Leaves or rejoins the leaderboards and digests. */
  async setHidden(group: Group, actor: Actor, hidden: boolean): Promise<Member> {
    const member = await this.deps.db.transaction().execute(async (trx) => {
      const { member } = await this.ensure(group, actor, trx);
      await updateMemberPreferences(trx, member.id, { hidden: hidden ? 1 : 0 });
      return member;
    });
    this.forgetCached(actor.userId);
    return { ...member, hidden };
  }

  /** Leaves or rejoins the group's web page only (boards, calendar and lists there). */
  async setHiddenFromPage(group: Group, actor: Actor, hidden: boolean): Promise<void> {
    await this.deps.db.transaction().execute(async (trx) => {
      const { member } = await this.ensure(group, actor, trx);
      await updateMemberPreferences(trx, member.id, { page_hidden: hidden ? 1 : 0 });
    });
  }

  /** Turns the streak-at-risk nudge on ('auto' or 'HH:MM' local) or off (null). */
  async setReminder(group: Group, actor: Actor, remindAt: string | null): Promise<Member> {
    if (remindAt !== null && remindAt !== 'auto' && !/^([01]\d|2[0-3]):[0-5]\d$/.test(remindAt))
      throw new UserError('bad_argument', `"${remindAt}" is not a time. Use HH:MM on a 24-hour clock, e.g. 20:30.`);
    const member = await this.deps.db.transaction().execute(async (trx) => {
      const { member } = await this.ensure(group, actor, trx);
      await updateMemberPreferences(trx, member.id, { remind_at: remindAt });
      return member;
    });
    this.forgetCached(actor.userId);
    return { ...member, remindAt };
  }

  private async updateCalendar(
    group: Group,
    actor: Actor,
    calendar: { timezone?: string | null; rollover_hour?: number },
  ): Promise<Member> {
    const updated = await this.deps.db.transaction().execute(async (trx) => {
      const { member } = await this.ensure(group, actor, trx);
      await updatePersonCalendar(trx, member.personId, calendar);
      for (const membership of await listMemberships(trx, member.personId)) await this.streaks.recompute(trx, membership);
      return (await findMemberByUserId(trx, group, actor.userId))!;
    });
    this.forgetCached(actor.userId);
    return updated;
  }
}
