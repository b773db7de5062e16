import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GROUP_SETTINGS } from '../../src/services/group-settings';
import { Harness, type LogEntry } from '../support/harness';

const admin = { name: 'Ada', admin: true };

describe('/setup and /config', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await Harness.create();
  });
  afterEach(() => h.close());

  it('refuses commands in a channel that is not a group yet, and tells how to start one', async () => {
    const text = await h.text('Bo', '/log 500');
    expect(text).toMatch(/no writing group in this channel/);
    expect(text).toMatch(/\/setup timezone:/);
  });

  it('lets only admins set up a group', async () => {
    expect(await h.text('Bo', '/setup Europe/London')).toMatch(/Only group admins/);
    const reply = await h.send(admin, '/setup timezone:Europe/London');
    expect(reply).toMatchObject({ visibility: 'channel' });
    expect(reply && reply.text).toMatch(/now a writing group.*Europe\/London/s);
  });

  it('re-running /setup changes the zone and announcement channel', async () => {
    await h.send(admin, '/setup Europe/London');
    const text = await h.text(admin, '/setup timezone:asia/kolkata channel:#announcements');
    expect(text).toBe('Group settings updated: time zone Asia/Kolkata, announcements in <#announcements>.');
    const group = await h.app.services.groups.find(h.conversation(admin));
    expect(group).toMatchObject({ timezone: 'Asia/Kolkata', announceChannelId: 'announcements' });
  });

  it('names an unknown time zone and what is accepted', async () => {
    const text = await h.text(admin, '/setup timezone:Mars/Olympus');
    expect(text).toMatch(/"Mars\/Olympus" is not a time zone I know.*IANA zone name such as Europe\/London/);
    expect(await h.app.services.groups.find(h.conversation(admin))).toBeUndefined();
  });

  it('/config shows settings and changes each with validation', async () => {
    await h.send(admin, '/setup Europe/London');
    const shown = await h.send(admin, '/config');
    expect(shown).toMatchObject({ visibility: 'private' });
    expect(shown && shown.fields?.map((f) => f.label)).toEqual([
      'timezone',
      'channel',
      'backfill_days',
      'log_pattern',
      'read_window',
      'fair_reads',
      'fair_window',
      'readers_role',
      'digest',
      'daily_digest',
      'week_start',
      'sprint_window',
      'sprint_max_wpm',
      'sprint_role',
      'dashboard',
      'responses',
      'admins',
    ]);

    expect(await h.send(admin, '/config backfill_days 5')).toMatchObject({ text: 'Updated backfill_days: 5', fields: [{ label: 'backfill_days', value: '5' }] });
    expect(await h.text(admin, '/config backfill_days 99')).toMatch(/backfill_days must be a whole number from 0 to 14/);
    expect(await h.text(admin, '/config log_pattern "(unclosed"')).toMatch(/can't be used: it is not a valid regular expression/);
    expect(await h.text(admin, '/config log_pattern ^done:')).toBe('Updated log_pattern: ^done:');
    expect(await h.text(admin, '/config timezone Nowhere/City')).toMatch(/not a time zone I know/);
    expect(await h.text(admin, '/config timezone utc')).toBe('Updated timezone: UTC');
    expect(await h.text(admin, '/config timezone est')).toBe(
      'EST is a clock abbreviation with no daylight-saving rules, so your days would be an hour off for half the year. Did you mean America/New_York? Use a place-named zone like that one.',
    );
    expect(await h.text('Bo', '/timezone MST')).toMatch(/^MST is a clock abbreviation .* Did you mean America\/Denver\?/);
    expect(await h.text(admin, '/config read_window 90')).toBe('Updated read_window: 90 minutes');
    expect(await h.text(admin, '/config read_window 5')).toMatch(/read_window must be a whole number from 10 to 1440/);
    expect(await h.text(admin, '/config fair_reads 2')).toBe('Updated fair_reads: 2 of the last 5');
    expect(await h.text(admin, '/config fair_reads 10')).toBe(
      "fair_reads (10) can't be more than fair_window (5): nobody could read 10 of the last 5. Raise fair_window first, or lower fair_reads.",
    );
    expect(await h.text(admin, '/config fair_window 1')).toMatch(/^fair_reads \(2\) can't be more than fair_window \(1\)/);
    expect(await h.text(admin, '/config fair_window 12')).toBe('Updated fair_window: 12');
    expect(await h.text(admin, '/config fair_reads 10')).toBe('Updated fair_reads: 10 of the last 12');
    await h.send(admin, '/config fair_reads 2');
    await h.send(admin, '/config fair_window 5');
    expect(await h.text(admin, '/config readers_role <@&123456789012345678>')).toMatch(/readers_role: <@&123456789012345678>/);
    expect(await h.text(admin, '/config readers_role everyone')).toMatch(/readers_role takes a Discord role mention/);
    expect(await h.text(admin, '/config digest "0 18 * * 5"')).toMatch(/digest: 0 18 \* \* 5 \(next: Fri 13 Mar 18:00, Fri 20 Mar 18:00, Fri 27 Mar 18:00\)/);
    expect(await h.text(admin, '/config digest "*/5 * * * *"')).toMatch(/can't be used: it would run more than once a day/);
    expect(await h.text(admin, '/config digest "0 25 * * 1"')).toMatch(/can't be used: it is not a cron expression I can read/);
    expect(await h.text(admin, '/config daily_digest on')).toMatch(/daily_digest: 0 9 \* \* \* \(next: Wed 11 Mar 09:00/);
    expect(await h.text(admin, '/config week_start sunday')).toMatch(/week_start: sunday/);
    expect(await h.text(admin, '/config week_start someday')).toMatch(/week_start takes a day of the week/);
    expect(await h.text(admin, '/config colour blue')).toMatch(/Bad value for setting: "colour". Expected one of: timezone, channel/);
    expect(await h.text(admin, '/config timezone')).toMatch(/Give timezone a value/);
  });

  it('/help config says what each setting takes', async () => {
    const help = (await h.text(admin, '/help config')).split('\n');
    const explained = help.filter((line) => line.startsWith('• ') && !/^• (setting|value) /.test(line)).map((line) => line.slice(2, line.indexOf(':')));
    expect(explained).toEqual(GROUP_SETTINGS);
    expect(help).toContain('• backfill_days: how many days back a log may be dated, 0 to 14.');
  });

  it('admins added with /config admin_add can run admin commands; removed ones cannot', async () => {
    await h.send(admin, '/setup Europe/London');
    await h.send('Bo', '/join');
    expect(await h.text('Bo', '/config')).toMatch(/Only group admins/);
    expect(await h.text(admin, '/config admin_add Bo')).toMatch(/admins: <@bo>/);
    expect(await h.text('Bo', '/config')).toMatch(/Group settings/);
    await h.send(admin, '/config admin_remove <@bo>');
    expect(await h.text('Bo', '/config')).toMatch(/Only group admins/);
    expect(await h.text(admin, '/config admin_add Nobody')).toMatch(/No member called "Nobody"/);
  });

  it('reads a reference the same way as every other command: a mention names anyone, a name only a member', async () => {
    await h.send(admin, '/setup Europe/London');
    expect(await h.text(admin, '/config admin_add <@cy>')).toMatch(/admins: <@cy>/);
    expect(await h.text('Cy', '/config')).toMatch(/Group settings/);
    await h.send('Bo', '/join');
    await h.send('Bob', '/join');
    expect(await h.text(admin, '/config admin_add Bo')).toMatch(/admins: .*<@bo>/);
    expect(await h.text(admin, '/streak <@cy>')).toBe("That person isn't a member of this group.");
  });
});

describe('a channel or role of another workspace', () => {
  let h: Harness;
  const logged: LogEntry[] = [];
  beforeEach(async () => {
    logged.length = 0;
    h = await Harness.create({ onLog: (entry) => logged.push(entry) });
    // 'elsewhere' and this role live in workspace w2; the group is in w1.
    h.adapter.workspaceOf.set('elsewhere', 'w2');
    h.adapter.workspaceOf.set('223456789012345678', 'w2');
  });
  afterEach(() => h.close());

  const storedGroup = () => h.db.selectFrom('groups').select(['announce_channel_id', 'readers_role_id']).execute();

  it('GIVEN /setup with a channel of another workspace THEN refuses it and creates no group', async () => {
    expect(await h.text(admin, '/setup timezone:UTC channel:#elsewhere')).toBe('That channel is not in this workspace: pick a channel of this workspace.');
    expect(await storedGroup()).toEqual([]);
    expect(await h.text(admin, '/setup timezone:UTC channel:#announcements')).toMatch(/announcements go to <#announcements>/);
  });

  it('GIVEN /config channel or readers_role of another workspace THEN refuses it and keeps the setting', async () => {
    await h.send(admin, '/setup Europe/London');
    expect(await h.text(admin, '/config channel #elsewhere')).toBe('That channel is not in this workspace: pick a channel of this workspace.');
    expect(await h.text(admin, '/config readers_role <@&223456789012345678>')).toBe('That role is not in this workspace: pick a role of this workspace, or none.');
    expect(await storedGroup()).toEqual([{ announce_channel_id: 'general', readers_role_id: null }]);
    expect(await h.text(admin, '/config channel #announcements')).toBe('Updated channel: <#announcements>');
  });

  it('GIVEN a stored announcement channel now in another workspace THEN never posts there, says why and logs it', async () => {
    await h.send(admin, '/setup Europe/London channel:#reading');
    h.adapter.workspaceOf.set('reading', 'w2');
    expect(await h.text('Bo', '/publish https://example.com/a A')).toMatch(/^I couldn't post in the announcement channel \(that channel is not in this workspace\)/);
    for (let day = 0; day < 7; day++) {
      await h.send('Bo', '/log 100');
      h.clock.advance(86_400_000);
    }
    expect(h.adapter.posts).toEqual([]);
    expect(logged.map((l) => l.msg)).toContain('milestone announcement not posted');
    expect(logged.filter((l) => l.msg === 'post refused: the channel is not in the workspace')).toContainEqual(
      expect.objectContaining({ level: 40, platform: 'console', workspace: 'w1', channel: 'reading' }),
    );
    h.adapter.workspaceOf.delete('reading');
    await h.send('Bo', '/publish https://example.com/b B');
    expect(h.adapter.posts.map((p) => [p.to.channelId, p.reply.text.split('\n')[0]])).toEqual([['reading', '📣 New from Bo: B']]);
  });
});
