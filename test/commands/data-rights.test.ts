import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Harness } from '../support/harness';

const admin = { name: 'Ada', admin: true };

describe('/export and /forget', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await Harness.create();
    await h.send(admin, '/setup Europe/London');
    await h.send({ ...admin, channel: 'poetry' }, '/setup Europe/London');
    await h.send('Bo', '/log 500 note:"=SUM(A1), with a comma"');
    await h.send({ name: 'Bo', channel: 'poetry' }, '/log 20');
    await h.send('Cy', '/log 900');
    await h.send('Bo', '/publish https://example.com/bo-story Bo Story');
    await h.send('Cy', '/publish https://example.com/cy-story Cy Story');
    const cyAnnouncement = h.adapter.posts.find((p) => p.reply.text.includes('Cy Story'))!;
    await h.press('Bo', cyAnnouncement.reply.buttons!.find((b) => b.action === 'read')!);
  });
  afterEach(() => h.close());

  it('gives the member their own data from every group of the workspace, privately, as JSON and CSV', async () => {
    const reply = await h.send('Bo', '/export');
    expect(reply).toMatchObject({ visibility: 'private', text: expect.stringMatching(/2 logs/) });
    const [json, csv] = reply!.files!;
    const data = JSON.parse(String(json!.content));
    expect(data.person).toMatchObject({ userId: 'bo', displayName: 'Bo' });
    expect(data.groups.map((g: { channel: string; logs: unknown[] }) => [g.channel, g.logs.length])).toEqual([
      ['general', 1],
      ['poetry', 1],
    ]);
    expect(JSON.stringify(data)).not.toContain('900');
    expect(data.groups[0].publications).toEqual([{ url: 'https://example.com/bo-story', title: 'Bo Story', source: 'command', announcedAt: expect.any(String) }]);
    expect(data.groups[0].reads).toEqual([{ url: 'https://example.com/cy-story', title: 'Cy Story', readAt: expect.any(String), firstHour: true }]);
    const lines = String(csv!.content).trim().split('\n');
    expect(lines[0]).toBe('group_channel,local_date,zone,words,minutes,url,note,source,logged_at');
    expect(lines[1]).toMatch(/^general,2026-03-10,Europe\/London,500,0,,"'=SUM\(A1\), with a comma",command,/);
  });

  it("includes the member's own sprints: counts, words, when they joined and when each ended", async () => {
    const t0 = h.clock.now();
    const minute = 60_000;
    const at = async (instant: number) => {
      h.clock.set(instant);
      await h.tick();
      await h.tick();
    };
    await h.send('Bo', '/sprint start 20');
    await h.send('Cy', '/sprint join 5000');
    await at(t0 + 12 * minute);
    await h.send('Bo', '/sprint words 300');
    await h.send('Cy', '/sprint words 5777');
    await at(t0 + 24 * minute);
    await h.send({ name: 'Bo', channel: 'poetry' }, '/sprint start 10 0');
    h.clock.set(t0 + 26 * minute);
    await h.send({ name: 'Bo', channel: 'poetry' }, '/sprint cancel');
    await h.send({ name: 'Bo', channel: 'poetry' }, '/sprint notify on');

    const data = JSON.parse(String((await h.send('Bo', '/export'))!.files![0]!.content));
    const [general, poetry] = data.groups;
    expect(general.sprints).toEqual([
      {
        sprint: expect.any(Number),
        minutes: 20,
        startCount: 0,
        finalCount: 300,
        words: 300,
        joinedAt: new Date(t0).toISOString(),
        endedAt: new Date(t0 + 22 * minute).toISOString(),
        cancelled: false,
      },
    ]);
    expect(poetry.sprints).toEqual([
      expect.objectContaining({ minutes: 10, startCount: 0, finalCount: null, words: 0, endedAt: new Date(t0 + 26 * minute).toISOString(), cancelled: true }),
    ]);
    expect([general.sprintNotify, poetry.sprintNotify]).toEqual([false, true]);
    // Cy's counts in the same sprint are Cy's.
    expect(JSON.stringify(data)).not.toMatch(/5777|5000/);
    const cy = JSON.parse(String((await h.send('Cy', '/export'))!.files![0]!.content));
    expect(cy.groups[0].sprints).toEqual([expect.objectContaining({ sprint: general.sprints[0].sprint, startCount: 5000, finalCount: 5777, words: 777 })]);
  });

  it('deletes everything only after the confirmation button, pressed by the same person', async () => {
    const reply = await h.send('Bo', '/forget');
    expect(reply && reply.text).toMatch(/2 logs in 2 groups/);
    const button = reply!.buttons![0]!;
    expect((await h.press('Cy', button))!.text).toMatch(/belongs to someone else/);
    expect(await h.db.selectFrom('logs').selectAll().execute()).toHaveLength(3);
    expect((await h.press('Bo', button))!.text).toMatch(/Done: everything I kept about you/);
    const left = await h.db.selectFrom('logs').select('words').execute();
    expect(left).toEqual([{ words: 900 }]);
    expect(await h.db.selectFrom('publications').select('title').execute()).toEqual([{ title: 'Cy Story' }]);
    expect(await h.db.selectFrom('reads').selectAll().execute()).toEqual([]);
    expect(await h.db.selectFrom('people').select('user_id').orderBy('user_id').execute()).toEqual([{ user_id: 'cy' }]);
    expect((await h.send('Bo', '/export'))!.text).toBe('I have no data about you in this workspace.');
  });

  it('refuses an expired confirmation', async () => {
    const reply = await h.send('Bo', '/forget');
    h.clock.advance(11 * 60_000);
    const result = await h.press('Bo', reply!.buttons![0]!);
    expect(result!.text).toMatch(/expired/);
    expect(await h.db.selectFrom('logs').selectAll().execute()).toHaveLength(3);
  });
});
