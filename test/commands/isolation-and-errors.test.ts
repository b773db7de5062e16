import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Harness } from '../support/harness';

describe('tenant isolation', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await Harness.create();
    await h.send({ name: 'Ada', admin: true }, '/setup Europe/London');
    await h.send({ name: 'Ada', admin: true, channel: 'other' }, '/setup Asia/Kolkata');
    await h.send({ name: 'Ada', admin: true, workspace: 'w2' }, '/setup America/New_York');
  });
  afterEach(() => h.close());

  it('keeps members, streaks and settings of one group out of every other', async () => {
    await h.send({ name: 'Bo', channel: 'other' }, '/log 500');
    await h.send({ name: 'Cy', workspace: 'w2' }, '/log 700');
    expect(await h.text('Ada', '/streak Bo')).toBe('No member called "Bo" in this group.');
    expect(await h.text('Ada', '/streak <@cy>')).toBe("That person isn't a member of this group.");
    expect(await h.text({ name: 'Ada', workspace: 'w2' }, '/streak Cy')).toMatch(/Current streak: 1 day/);
    await h.send({ name: 'Ada', admin: true }, '/config backfill_days 7');
    const groups = await h.db.selectFrom('groups').select(['channel_id', 'workspace_id', 'backfill_days']).orderBy('id').execute();
    expect(groups.map((g) => g.backfill_days)).toEqual([7, 2, 2]);
  });

  it('makes a group admin an admin of that group only', async () => {
    await h.send('Bo', '/join');
    await h.send({ name: 'Ada', admin: true }, '/config admin_add Bo');
    expect(await h.text('Bo', '/config')).toMatch(/Group settings/);
    expect(await h.text({ name: 'Bo', channel: 'other' }, '/config')).toMatch(/Only group admins/);
  });
});

describe('failures', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await Harness.create();
    await h.send({ name: 'Ada', admin: true }, '/setup Europe/London');
  });
  afterEach(() => h.close());

  it('answers an unexpected error with a short apology, logs the cause, keeps running, and writes nothing half-way', async () => {
    await h.send('Bo', '/log 100');
    await sql`drop table streaks`.execute(h.db);
    const reply = await h.send('Bo', '/log 200');
    expect(reply).toMatchObject({ visibility: 'private', text: expect.stringMatching(/^Sorry, something went wrong/) });
    expect(reply!.text).not.toMatch(/streaks|SQL|Error|at /);
    expect(h.errors).toHaveLength(1);
    expect(h.errors[0]).toMatchObject({ msg: 'handler failed', err: { message: expect.stringMatching(/streaks/) } });
    // The log insert ran before the failing streak update: the transaction took it back.
    expect(await h.db.selectFrom('logs').select('words').execute()).toEqual([{ words: 100 }]);
    expect(await h.text('Bo', '/help')).toMatch(/Commands|\/log/);
  });

  it('explains a button it no longer knows', async () => {
    const reply = await h.press('Bo', { action: 'gone', payload: 'x', label: 'Old' });
    expect(reply).toMatchObject({ visibility: 'private', text: expect.stringMatching(/button no longer works/) });
  });
});

describe('/help', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await Harness.create();
  });
  afterEach(() => h.close());

  it('lists every command from the definitions, and explains one with its options', async () => {
    const list = await h.text('Bo', '/help');
    for (const command of h.app.router.catalog) expect(list).toContain(`/${command.name}`);
    expect(list).toContain('/setup <timezone> [channel] — Make this channel a writing group');
    const one = await h.text('Bo', '/help rollover');
    expect(one).toMatch(/\/rollover <hour>\n.*\n• hour: Hour your writing day ends \(0 = midnight\). Takes a whole number from 0 to 5./);
    expect(await h.text('Bo', '/help nope')).toMatch(/There's no \/nope command/);
  });
});
