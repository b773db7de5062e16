import { channelMention, formatDate, plain, userMention } from '../core/format';
import { UserError } from '../core/user-error';
import { compileLogPattern } from '../domain/chat-log';
import { DASHBOARD_MODES, DEFAULT_DAILY_DIGEST_CRON, DEFAULT_DIGEST_CRON, type Group, type GroupSettings, MAX_BACKFILL_DAYS } from '../domain/group';
import { canonicalZone, zoneForAbbreviation } from '../domain/local-date';
import { WEEKDAYS } from '../domain/periods';
import { parseChannelReference } from '../domain/references';
import { nextOccurrences, scheduleProblem } from '../domain/schedule';

/** What reading a setting's value may need from outside: the platform's word on channels and roles, the group's members. */
export interface SettingChecks {
  requireOwnChannel(channelId: string): Promise<void>;
  requireOwnRole(roleId: string): Promise<void>;
  addAdmin(reference: string): Promise<void>;
  removeAdmin(reference: string): Promise<void>;
}

interface GroupSettingDefinition {
  /** What it takes, for /help config. */
  accepts: string;
  /** How /config shows it. */
  show(group: Group, now: number): string;
  /** Reads a typed value into the settings it changes, or refuses it with the reason. Actions (admins) change nothing here. */
  read(value: string, checks: SettingChecks): Promise<Partial<GroupSettings>> | Partial<GroupSettings>;
}

/**
 * Every group setting, one entry each: what it takes, how it is shown, how a typed value is read.
 * /config, /help config and the settings' checks all come from here; a new setting is one entry.
 */
export const GROUP_SETTING_TABLE = {
  timezone: {
    accepts: 'an IANA time zone named after a place, such as Europe/London, America/New_York or Asia/Kolkata',
    show: (g) => g.timezone,
    read: (value) => ({ timezone: requireZone(value) }),
  },
  channel: {
    accepts: 'a channel of this server or workspace (a #mention): where announcements and digests go',
    show: (g) => channelMention(g.announceChannelId),
    read: async (value, checks) => {
      const announceChannelId = parseChannelReference(value);
      await checks.requireOwnChannel(announceChannelId);
      return { announceChannelId };
    },
  },
  backfill_days: {
    accepts: `how many days back a log may be dated, 0 to ${MAX_BACKFILL_DAYS}`,
    show: (g) => String(g.backfillDays),
    read: (value) => ({ backfillDays: wholeNumber('backfill_days', value, 0, MAX_BACKFILL_DAYS) }),
  },
  log_pattern: {
    accepts: 'a regular expression (RE2 syntax) a chat message must match to be logged, or default',
    show: (g) => (g.logPattern ? plain(g.logPattern) : 'default (+500 words, #log, wrote 500 words)'),
    read: (value) => {
      if (isWord(value, 'default', 'off', 'none', '')) return { logPattern: null };
      const compiled = compileLogPattern(value);
      if (typeof compiled === 'string') throw new UserError('bad_argument', `That log pattern can't be used: ${compiled}.`);
      return { logPattern: value };
    },
  },
  read_window: {
    accepts: 'the minutes after an announcement during which reads count as first-hour, 10 to 1440',
    show: (g) => `${g.readWindowMinutes} minutes`,
    read: (value) => ({ readWindowMinutes: wholeNumber('read_window', value, 10, 24 * 60) }),
  },
  fair_reads: {
    accepts: 'how many of the latest articles by others a member reads before sharing their own, 0 (off) to 20, at most fair_window',
    show: (g) => (g.fairReads ? `${g.fairReads} of the last ${g.fairWindow}` : 'off'),
    read: (value) => ({ fairReads: wholeNumber('fair_reads', value, 0, 20) }),
  },
  fair_window: {
    accepts: 'how many of the latest articles by others fair_reads looks at, 1 to 50, at least fair_reads',
    show: (g) => String(g.fairWindow),
    read: (value) => ({ fairWindow: wholeNumber('fair_window', value, 1, 50) }),
  },
  readers_role: {
    accepts: 'a Discord role of this server to ping for new articles (a @role mention), or none to list opted-in readers',
    show: (g) => (g.readersRoleId ? `<@&${g.readersRoleId}>` : 'none (opted-in readers are listed)'),
    read: async (value, checks) => {
      if (isWord(value, 'none', 'off', '')) return { readersRoleId: null };
      const role = /^<@&(\d{17,20})>$|^(\d{17,20})$/.exec(value.trim());
      const readersRoleId = role?.[1] ?? role?.[2];
      if (!readersRoleId) throw new UserError('bad_argument', 'readers_role takes a Discord role mention (@role), or none.');
      await checks.requireOwnRole(readersRoleId);
      return { readersRoleId };
    },
  },
  digest: {
    accepts: `when the weekly digest goes out, a cron expression in the group's zone (at most once a day), or default (${DEFAULT_DIGEST_CRON}: Mondays 09:00)`,
    show: (g, now) => `${g.digestCron} (next: ${nextRuns(g.digestCron, g, now)})`,
    read: (value) => ({ digestCron: isWord(value, 'default') ? DEFAULT_DIGEST_CRON : requireSchedule('digest', value) }),
  },
  daily_digest: {
    accepts: `on (${DEFAULT_DAILY_DIGEST_CRON}: every day 09:00), off, or a cron expression in the group's zone`,
    show: (g, now) => (g.dailyDigestCron ? `${g.dailyDigestCron} (next: ${nextRuns(g.dailyDigestCron, g, now)})` : 'off'),
    read: (value) => {
      if (isWord(value, 'off')) return { dailyDigestCron: null };
      return { dailyDigestCron: isWord(value, 'on') ? DEFAULT_DAILY_DIGEST_CRON : requireSchedule('daily_digest', value) };
    },
  },
  week_start: {
    accepts: `the day weeks start on for boards and digests: ${WEEKDAYS.join(', ')}`,
    show: (g) => WEEKDAYS[g.weekStart - 1]!,
    read: (value) => {
      const day = WEEKDAYS.findIndex((d) => d.startsWith(value.trim().toLowerCase()) && value.trim().length >= 2);
      if (day < 0) throw new UserError('bad_argument', `week_start takes a day of the week: ${WEEKDAYS.join(', ')}.`);
      return { weekStart: day + 1 };
    },
  },
  sprint_window: {
    accepts: 'the minutes after a sprint ends during which final counts are taken, 1 to 30',
    show: (g) => `${g.sprintWindowMinutes} minutes`,
    read: (value) => ({ sprintWindowMinutes: wholeNumber('sprint_window', value, 1, 30) }),
  },
  sprint_max_wpm: {
    accepts: 'the words per minute above which a sprint count asks for confirmation, 20 to 1000',
    show: (g) => `${g.sprintMaxWpm} words a minute`,
    read: (value) => ({ sprintMaxWpm: wholeNumber('sprint_max_wpm', value, 20, 1000) }),
  },
  sprint_role: {
    accepts: 'a Discord role of this server to ping for sprints (a @role mention), or none to ping the members on /sprint notify',
    show: (g) => (g.sprintRoleId ? `<@&${g.sprintRoleId}>` : 'none (members on /sprint notify are pinged)'),
    read: async (value, checks) => {
      if (isWord(value, 'none', 'off', '')) return { sprintRoleId: null };
      const sprintRoleId = readRole('sprint_role', value);
      await checks.requireOwnRole(sprintRoleId);
      return { sprintRoleId };
    },
  },
  dashboard: {
    accepts: "who may open the group's web page (/dashboard gives the link): private (anyone holding the link, the default), public (the same link, which shared caches and search engines may also keep) or off",
    show: (g) => g.dashboard,
    read: (value) => {
      const mode = DASHBOARD_MODES.find((m) => isWord(value, m));
      if (!mode) throw new UserError('bad_argument', `dashboard takes ${DASHBOARD_MODES.join(', ')} (got "${value}").`);
      return { dashboard: mode };
    },
  },
  responses: {
    accepts: 'on (readers may respond to articles from their announcements) or off',
    show: (g) => (g.responsesEnabled ? 'on' : 'off'),
    read: (value) => {
      if (isWord(value, 'on')) return { responsesEnabled: true };
      if (isWord(value, 'off')) return { responsesEnabled: false };
      throw new UserError('bad_argument', `responses takes on or off (got "${value}").`);
    },
  },
  admin_add: {
    accepts: 'a member (a mention, or their name) who may change settings, besides the platform admins',
    show: showAdmins,
    read: async (value, checks) => {
      await checks.addAdmin(value);
      return {};
    },
  },
  admin_remove: {
    accepts: "a member to take off the group's admin list",
    show: showAdmins,
    read: async (value, checks) => {
      await checks.removeAdmin(value);
      return {};
    },
  },
} satisfies Record<string, GroupSettingDefinition>;

export type GroupSetting = keyof typeof GROUP_SETTING_TABLE;

/** The setting names in the order /config lists them, as a zod enum needs them. */
export const GROUP_SETTINGS = Object.keys(GROUP_SETTING_TABLE) as [GroupSetting, ...GroupSetting[]];

/**
 * Rules between settings, checked on the settings as they would be after a change: a change that
 * breaks one is refused with the way out.
 */
const SETTING_RULES: ((next: GroupSettings) => string | undefined)[] = [
  (s) =>
    s.fairReads > s.fairWindow
      ? `fair_reads (${s.fairReads}) can't be more than fair_window (${s.fairWindow}): nobody could read ${s.fairReads} of the last ${s.fairWindow}. Raise fair_window first, or lower fair_reads.`
      : undefined,
];

/** Refuses settings that would break a rule between them. */
export function checkSettingRules(next: GroupSettings): void {
  for (const rule of SETTING_RULES) {
    const problem = rule(next);
    if (problem) throw new UserError('bad_argument', problem);
  }
}

/** "setting: what it takes" for each setting, for /help config. */
export function settingsHelp(): string[] {
  return Object.entries(GROUP_SETTING_TABLE).map(([name, setting]) => `• ${name}: ${setting.accepts}.`);
}

export function requireZone(input: string): string {
  const meant = zoneForAbbreviation(input);
  if (meant)
    throw new UserError(
      'bad_argument',
      `${input.trim().toUpperCase()} is a clock abbreviation with no daylight-saving rules, so your days would be an hour off for half the year. Did you mean ${meant}? Use a place-named zone like that one.`,
    );
  const zone = canonicalZone(input);
  if (!zone)
    throw new UserError(
      'bad_argument',
      `"${input}" is not a time zone I know. Use an IANA zone name such as Europe/London, America/New_York or Asia/Kolkata.`,
    );
  return zone;
}

function showAdmins(group: Group): string {
  return group.admins.length ? group.admins.map(userMention).join(', ') : 'platform admins only';
}

function readRole(setting: string, value: string): string {
  const role = /^<@&(\d{17,20})>$|^(\d{17,20})$/.exec(value.trim());
  const id = role?.[1] ?? role?.[2];
  if (!id) throw new UserError('bad_argument', `${setting} takes a Discord role mention (@role), or none.`);
  return id;
}

function isWord(value: string, ...words: string[]): boolean {
  return words.includes(value.trim().toLowerCase());
}

function requireSchedule(setting: string, value: string): string {
  const expression = value.trim().replace(/^["']|["']$/g, '');
  const problem = scheduleProblem(expression);
  if (problem) throw new UserError('bad_argument', `That ${setting} schedule can't be used: ${problem}.`);
  return expression;
}

function wholeNumber(setting: string, value: string, min: number, max: number): number {
  const n = Number(value.trim());
  if (!/^\d+$/.test(value.trim()) || n < min || n > max)
    throw new UserError('bad_argument', `${setting} must be a whole number from ${min} to ${max} (got "${value}").`);
  return n;
}

/** "Mon 16 Mar 09:00, Mon 23 Mar 09:00, Mon 30 Mar 09:00" in the group's zone. */
function nextRuns(expression: string, group: Group, now: number): string {
  return nextOccurrences(expression, group.timezone, now, 3)
    .map((o) => `${formatDate(o.key.slice(0, 10))} ${o.key.slice(11)}`)
    .join(', ');
}
