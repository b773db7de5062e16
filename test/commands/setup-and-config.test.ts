import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Harness } from '../support/harness';

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
      'channel (announcements)',
      'backfill_days',
      'log_pattern',
      'read_window (minutes)',
      'fair_reads',
      'fair_window',
      'readers_role',
      'digest',
      'daily_digest',
      'week_start',
      'admins',
    ]);

    expect(await h.text(admin, '/config backfill_days 5')).toMatch(/backfill_days: 5/);
    expect(await h.text(admin, '/config backfill_days 99')).toMatch(/backfill_days must be a whole number from 0 to 14/);
    expect(await h.text(admin, '/config log_pattern "(unclosed"')).toMatch(/can't be used: it is not a valid regular expression/);
    expect(await h.text(admin, '/config log_pattern ^done:')).toMatch(/log_pattern: \^done:/);
    expect(await h.text(admin, '/config timezone Nowhere/City')).toMatch(/not a time zone I know/);
    expect(await h.text(admin, '/config timezone utc')).toMatch(/^timezone: UTC$/m);
    expect(await h.text(admin, '/config timezone est')).toBe(
      'EST is a clock abbreviation with no daylight-saving rules, so your days would be an hour off for half the year. Did you mean America/New_York? Use a place-named zone like that one.',
    );
    expect(await h.text('Bo', '/timezone MST')).toMatch(/^MST is a clock abbreviation .* Did you mean America\/Denver\?/);
    expect(await h.text(admin, '/config read_window 90')).toMatch(/read_window \(minutes\): 90/);
    expect(await h.text(admin, '/config read_window 5')).toMatch(/read_window must be a whole number from 10 to 1440/);
    expect(await h.text(admin, '/config fair_reads 2')).toMatch(/fair_reads: 2 of the last 5/);
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
});
