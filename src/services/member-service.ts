import type { Actor } from '../core/invocation';
import { UserError } from '../core/user-error';
import type { Db } from '../db/database';
import {
  findMemberByUserId,
  findMembersByName,
  insertMember,
  listMembershipIds,
  updateDisplayName,
  updateMemberPreferences,
  updatePersonCalendar,
  upsertPerson,
} from '../db/member.repository';
import type { Group } from '../domain/group';
import { type Member, MAX_ROLLOVER_HOUR } from '../domain/member';
import { parseMemberReference } from '../domain/references';
import { requireZone } from './group-service';
import type { ServiceDeps } from './service-deps';
import type { StreakService } from './streak-service';

export class MemberService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly streaks: StreakService,
  ) {}

  find(group: Group, actor: Actor, db: Db = this.deps.db): Promise<Member | undefined> {
    return findMemberByUserId(db, group.id, actor.userId);
  }

  /** The actor's membership, created on first sight (joining is implicit); the display name kept current. */
  async ensure(group: Group, actor: Actor, db: Db = this.deps.db): Promise<{ member: Member; joined: boolean }> {
    const existing = await findMemberByUserId(db, group.id, actor.userId);
    if (existing) {
      if (existing.displayName !== actor.displayName) {
        await updateDisplayName(db, existing.personId, actor.displayName);
        existing.displayName = actor.displayName;
      }
      return { member: existing, joined: false };
    }
    const personId = await upsertPerson(db, actor, this.deps.clock.now());
    await insertMember(db, group.id, personId, this.deps.clock.now());
    const member = await findMemberByUserId(db, group.id, actor.userId);
    if (!member) throw new Error(`membership of ${actor.userId} in group ${group.id} vanished while joining`);
    return { member, joined: true };
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
    if ('userId' in ref) {
      const member = await findMemberByUserId(this.deps.db, group.id, ref.userId);
      if (!member) throw new UserError('not_found', "That person isn't a member of this group.");
      return member;
    }
    const byId = await findMemberByUserId(this.deps.db, group.id, ref.name);
    if (byId) return byId;
    const matches = await findMembersByName(this.deps.db, group.id, ref.name);
    if (matches.length === 1) return matches[0]!;
    if (matches.length > 1) throw new UserError('bad_argument', `More than one member is called ${ref.name}; use a mention.`);
    throw new UserError('not_found', `No member called "${ref.name}" in this group.`);
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
    const { member } = await this.ensure(group, actor);
    await updateMemberPreferences(this.deps.db, member.id, { hidden: hidden ? 1 : 0 });
    return member;
  }

  /** Turns the streak-at-risk nudge on ('auto' or 'HH:MM' local) or off (null). */
  async setReminder(group: Group, actor: Actor, remindAt: string | null): Promise<Member> {
    if (remindAt !== null && remindAt !== 'auto' && !/^([01]\d|2[0-3]):[0-5]\d$/.test(remindAt))
      throw new UserError('bad_argument', `"${remindAt}" is not a time. Use HH:MM on a 24-hour clock, e.g. 20:30.`);
    const { member } = await this.ensure(group, actor);
    await updateMemberPreferences(this.deps.db, member.id, { remind_at: remindAt });
    return { ...member, remindAt };
  }

  private async updateCalendar(
    group: Group,
    actor: Actor,
    calendar: { timezone?: string | null; rollover_hour?: number },
  ): Promise<Member> {
    return this.deps.db.transaction().execute(async (trx) => {
      const { member } = await this.ensure(group, actor, trx);
      await updatePersonCalendar(trx, member.personId, calendar);
      for (const memberId of await listMembershipIds(trx, member.personId)) await this.streaks.recompute(trx, memberId);
      return (await this.find(group, actor, trx))!;
    });
  }
}
