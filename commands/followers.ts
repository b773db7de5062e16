import { z } from 'zod';
import { defineCommand } from '../src/router/command';
import { formatDate, formatNumber, plain } from '../src/core/format';
import { channelReply, privateReply } from '../src/core/reply';
import { FOLLOWER_PLATFORMS, type FollowerGain } from '../src/domain/leaderboard';
import { localDateOf } from '../src/domain/local-date';
import { memberCalendar } from '../src/domain/member';
import { MAX_FOLLOWERS, platformName } from '../src/services/follower-service';

function gainText(gain: FollowerGain): string {
  if (gain.kind === 'none') return 'no counts yet';
  if (gain.kind === 'new') return `first count this week (${formatNumber(gain.total)})`;
  const percent = gain.percent === null ? '' : ` (${gain.percent >= 0 ? '+' : ''}${gain.percent.toFixed(1)}%)`;
  return `${gain.gain >= 0 ? '+' : ''}${formatNumber(gain.gain)}${percent}, now ${formatNumber(gain.total)}`;
}

export default defineCommand({
  name: 'followers',
  description: 'Record your follower count, or see your history and weekly growth',
  options: z.object({
    count: z.number().int().min(0).max(MAX_FOLLOWERS).optional().describe('Your follower count now'),
    platform: z.enum(FOLLOWER_PLATFORMS).optional().describe('Where (default: your main platform)'),
  }),
  positional: ['count', 'platform'],
  run: async (ctx, { count, platform }) => {
    const { followers, members } = ctx.services;
    if (count === undefined) {
      const history = await followers.history(ctx.group, await members.require(ctx.group, ctx.actor));
      if (history.snapshots.length === 0) return privateReply('No follower counts yet. Record one with /followers <count> [platform].');
      // Each count on the date it was on the member's own clock.
      const clock = { zone: memberCalendar(history.member, ctx.group.timezone).zone, rolloverHour: 0 };
      const lines = history.snapshots.slice(0, 10).map((s) => `${formatDate(localDateOf(s.recordedAt, clock))}: ${formatNumber(s.count)} on ${platformName(s.platform)}`);
      const title = `${plain(history.member.displayName)}'s followers`;
      return privateReply([title, `This week: ${gainText(history.week)}`, ...lines].join('\n'), { title });
    }
    const report = await followers.record(ctx.group, ctx.actor, { count, platform }, ctx.idempotencyKey);
    if (report.duplicate) return privateReply('Already recorded.');
    // A followers goal reached is cheered in the group beside the reply.
    void ctx.services.goals.afterReport(ctx.group, ctx.actor);
    const change = report.previous === null ? 'first count' : `${report.count - report.previous >= 0 ? '+' : ''}${formatNumber(report.count - report.previous)} since last time`;
    return channelReply(`👥 ${plain(report.member.displayName)}: ${formatNumber(report.count)} followers on ${platformName(report.platform)} (${change}).`);
  },
});
