import type { Actor } from '../core/invocation';
import { formatNumber, plain } from '../core/format';
import { channelReply } from '../core/reply';
import { UserError } from '../core/user-error';
import { followerHistoryOf, insertFollowerSnapshot, latestCountsByPlatform } from '../db/follower.repository';
import { countFollowerReport } from './running-totals';
import { setMainPlatform } from '../db/member.repository';
import { recordMilestone } from '../db/milestone.repository';
import { announceConversation, type Group } from '../domain/group';
import { highestOf } from '../domain/milestones';
import { FOLLOWER_MILESTONES, type FollowerGain, followerGain, type FollowerPlatform, type FollowerSnapshot } from '../domain/leaderboard';
import { dayStart, localDateOf } from '../domain/local-date';
import type { Member } from '../domain/member';
import { weekOf } from '../domain/periods';
import type { MemberService } from './member-service';
import type { ServiceDeps } from './service-deps';

export const MAX_FOLLOWERS = 100_000_000;

export type FollowerReport =
  | { duplicate: true }
  | { duplicate: false; member: Member; platform: string; count: number; previous: number | null; milestones: number[] };

export interface FollowerHistory {
  member: Member;
  /** Newest first. */
  snapshots: FollowerSnapshot[];
  /** This week's gain, in the group's calendar. */
  week: FollowerGain;
}

const PLATFORM_NAMES: Record<string, string> = {
  medium: 'Medium',
  substack: 'Substack',
  devto: 'dev.to',
  hashnode: 'Hashnode',
  ghost: 'Ghost',
  wordpress: 'WordPress',
  other: 'elsewhere',
};

export function platformName(platform: string): string {
  return PLATFORM_NAMES[platform] ?? platform;
}

/** Follower counts as members report them: snapshots with timestamps, milestones celebrated once each. */
export class FollowerService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly members: MemberService,
  ) {}

  async record(group: Group, actor: Actor, input: { count: number; platform?: FollowerPlatform }, eventKey: string): Promise<FollowerReport> {
    const { db, clock } = this.deps;
    if (!Number.isInteger(input.count) || input.count < 0 || input.count > MAX_FOLLOWERS)
      throw new UserError('bad_argument', `A follower count must be a whole number from 0 to ${formatNumber(MAX_FOLLOWERS)}.`);
    const now = clock.now();
    const report = await db.transaction().execute(async (trx): Promise<FollowerReport> => {
      const { member } = await this.members.ensure(group, actor, trx);
      const platform = input.platform ?? member.mainPlatform ?? 'medium';
      if (input.platform && input.platform !== member.mainPlatform) {
        await setMainPlatform(trx, member.personId, input.platform);
        this.members.forgetCached(actor.userId);
      }
      const latest = await latestCountsByPlatform(trx, member.id);
      const sum = () => [...latest.values()].reduce((a, b) => a + b, 0);
      const previousTotal = latest.size ? sum() : null;
      const previous = latest.get(platform) ?? null;
      latest.set(platform, input.count);
      const snapshot = { memberId: member.id, groupId: group.id, platform, count: input.count, total: sum(), previousTotal, recordedAt: now, eventKey };
      if (!(await insertFollowerSnapshot(trx, snapshot))) return { duplicate: true };
      await countFollowerReport(trx, group, { member_id: member.id, total: snapshot.total, previous_total: previousTotal, recorded_at: now });
      const reached: number[] = [];
      for (const value of FOLLOWER_MILESTONES) {
        if (input.count < value || (previous ?? 0) >= value) continue;
        const first = await recordMilestone(trx, { memberId: member.id, groupId: group.id, kind: `followers:${platform}`, value, periodKey: '' }, now);
        if (first) reached.push(value);
      }
      // A first report is where the member starts from: what it already holds is recorded, not cheered.
      const milestones = previous === null ? [] : highestOf(reached);
      return { duplicate: false, member, platform, count: input.count, previous, milestones };
    });
    if (!report.duplicate) {
      for (const value of report.milestones) {
        const text = `🎉 ${plain(report.member.displayName)} reached ${formatNumber(value)} followers on ${platformName(report.platform)}!`;
        await this.deps.outbound
          .post(announceConversation(group), channelReply(text))
          .catch((error: unknown) => this.deps.logger.warn({ err: error, group: group.id }, 'follower milestone not posted'));
      }
    }
    return report;
  }

  async history(group: Group, member: Member): Promise<FollowerHistory> {
    const snapshots = await followerHistoryOf(this.deps.db, member.id);
    const calendar = { zone: group.timezone, rolloverHour: 0 };
    const week = weekOf(localDateOf(this.deps.clock.now(), calendar), group.weekStart);
    const start = dayStart(week.from, calendar);
    const before = snapshots.filter((s) => s.recordedAt < start).at(-1)?.total;
    return { member, snapshots: [...snapshots].reverse(), week: followerGain(before, snapshots.at(-1)?.total) };
  }
}
