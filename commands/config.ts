import { z } from 'zod';
import { defineCommand } from '../src/core/command';
import { channelMention, formatDate, plain, userMention } from '../src/core/format';
import { privateReply } from '../src/core/reply';
import { UserError } from '../src/core/user-error';
import type { Group } from '../src/domain/group';
import { WEEKDAYS } from '../src/domain/periods';
import { nextOccurrences } from '../src/domain/schedule';
import { GROUP_SETTINGS } from '../src/services/group-service';

/** "Mon 16 Mar 09:00, Mon 23 Mar 09:00, Mon 30 Mar 09:00" in the group's zone. */
function nextRuns(expression: string, group: Group, now: number): string {
  return nextOccurrences(expression, group.timezone, now, 3)
    .map((o) => `${formatDate(o.key.slice(0, 10))} ${o.key.slice(11)}`)
    .join(', ');
}

function showSettings(group: Group, heading: string, now: number) {
  const fields = [
    { label: 'timezone', value: group.timezone },
    { label: 'channel (announcements)', value: channelMention(group.announceChannelId) },
    { label: 'backfill_days', value: String(group.backfillDays) },
    { label: 'log_pattern', value: group.logPattern ? plain(group.logPattern) : 'default (+500 words, #log, wrote 500 words)' },
    { label: 'read_window (minutes)', value: String(group.readWindowMinutes) },
    { label: 'fair_reads', value: group.fairReads ? `${group.fairReads} of the last ${group.fairWindow}` : 'off' },
    { label: 'fair_window', value: String(group.fairWindow) },
    { label: 'readers_role', value: group.readersRoleId ? `<@&${group.readersRoleId}>` : 'none (opted-in readers are listed)' },
    { label: 'digest', value: `${group.digestCron} (next: ${nextRuns(group.digestCron, group, now)})` },
    { label: 'daily_digest', value: group.dailyDigestCron ? `${group.dailyDigestCron} (next: ${nextRuns(group.dailyDigestCron, group, now)})` : 'off' },
    { label: 'week_start', value: WEEKDAYS[group.weekStart - 1]! },
    { label: 'admins', value: group.admins.length ? group.admins.map(userMention).join(', ') : 'platform admins only' },
  ];
  const text = [heading, ...fields.map((f) => `${f.label}: ${f.value}`), 'Change one with /config <setting> <value>.'].join('\n');
  return privateReply(text, { title: heading, fields });
}

export default defineCommand({
  name: 'config',
  description: "Show or change this group's settings",
  adminOnly: true,
  options: z.object({
    setting: z.enum(GROUP_SETTINGS).optional().describe('The setting to change'),
    value: z.string().min(1).max(200).optional().describe('Its new value'),
  }),
  positional: ['setting', 'value'],
  run: async (ctx, { setting, value }) => {
    if (!setting) return showSettings(ctx.group, 'Group settings', ctx.clock.now());
    if (value === undefined)
      throw new UserError('missing_argument', `Give ${setting} a value, e.g. /config ${setting} <value>. /config alone shows every setting.`);
    const group = await ctx.services.groups.configure(ctx.group, setting, value);
    return showSettings(group, `Updated ${setting}`, ctx.clock.now());
  },
});
