import { z } from 'zod';
import { defineCommand } from '../src/router/command';
import { privateReply } from '../src/core/reply';
import { UserError } from '../src/core/user-error';
import type { Group } from '../src/domain/group';
import { GROUP_SETTING_TABLE, GROUP_SETTINGS, type GroupSetting, settingsHelp } from '../src/services/group-settings';

/** admin_add and admin_remove change one list, shown as "admins". */
const shownAs = (setting: GroupSetting) => (setting === 'admin_add' || setting === 'admin_remove' ? 'admins' : setting);

function showSettings(group: Group, now: number) {
  const shown = GROUP_SETTINGS.filter((setting) => setting !== 'admin_remove');
  const fields = shown.map((setting) => ({ label: shownAs(setting), value: GROUP_SETTING_TABLE[setting].show(group, now) }));
  const heading = 'Group settings';
  const text = [heading, ...fields.map((f) => `${f.label}: ${f.value}`), 'Change one with /config <setting> <value>; /help config says what each takes.'].join('\n');
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
  moreHelp: settingsHelp(),
  run: async (ctx, { setting, value }) => {
    if (!setting) return showSettings(ctx.group, ctx.clock.now());
    if (value === undefined)
      throw new UserError('missing_argument', `Give ${setting} a value, e.g. /config ${setting} <value>. /config alone shows every setting; /help config says what each takes.`);
    const group = await ctx.services.groups.configure(ctx.group, setting, value);
    const field = { label: shownAs(setting), value: GROUP_SETTING_TABLE[setting].show(group, ctx.clock.now()) };
    return privateReply(`Updated ${field.label}: ${field.value}`, { fields: [field] });
  },
});
