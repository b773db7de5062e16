import { PNG } from 'pngjs';
import { afterEach, describe, expect, it } from 'vitest';
import { Harness } from '../support/harness';
import { rowCounts } from '../support/row-counts';

const admin = { name: 'Ada', admin: true };
const DAY = 86_400_000;
const MINUTE = 60_000;

describe('projects', () => {
  let h: Harness;
  afterEach(() => h.close());

  const start = async (now = '2026-11-01T12:00:00Z') => {
    h = await Harness.create({ now });
    await h.send(admin, '/setup UTC');
  };

  it('sends logs to the current project, or to the one named, and paces it toward its deadline', async () => {
    await start();
    expect(await h.send('Bo', '/project create Novel 50000 2026-11-30')).toMatchObject({
      visibility: 'private',
      text: '📚 Project created. Novel (current): 0 of 50,000 words by Mon 30 Nov · 1,667 a day to stay on pace · 1,667 behind par (1,667). Your logs go to it now.',
    });
    expect((await h.text('Bo', '/project create Short stories')).endsWith('/project switch Short stories to log to it.')).toBe(true);
    await h.send('Bo', '/log 2000');
    await h.send('Bo', '/log 300 project:"short stories"');
    h.clock.advance(DAY);
    await h.send('Bo', '/log 1500');
    expect(await h.text('Bo', '/project list')).toBe(
      [
        'Your projects',
        '• Novel (current): 3,500 of 50,000 words by Mon 30 Nov · 1,604 a day to stay on pace · 167 ahead of par (3,333)',
        '• Short stories: 300 words',
      ].join('\n'),
    );
    // An undo takes its words from the project too.
    await h.send('Bo', '/undo');
    await h.send('Bo', '/project switch short STORIES');
    await h.send('Bo', '/log 700');
    expect(await h.text('Bo', '/project list')).toMatch(/• Novel: 2,000 of 50,000 words .*\n• Short stories \(current\): 1,000 words$/);
    await h.send('Bo', '/project archive short stories');
    expect(await h.text('Bo', '/log 10 project:"short stories"')).toBe('"Short stories" is archived: its words are kept, but it takes no more logs.');
    expect(await h.text('Bo', '/project list')).toMatch(/• Short stories \(archived\): 1,000 words$/);
  });

  it('counts a sprint toward the current project', async () => {
    await start();
    await h.send('Bo', '/project create Novel 50000 2026-11-30');
    const t0 = h.clock.now();
    await h.send('Bo', '/sprint start 20');
    for (const at of [t0 + 12 * MINUTE]) h.clock.set(at);
    await h.tick();
    await h.send('Bo', '/sprint words 640');
    h.clock.set(t0 + 25 * MINUTE);
    await h.tick();
    await h.tick();
    expect(await h.text('Bo', '/project list')).toMatch(/^Your projects\n• Novel \(current\): 640 of 50,000 words/);
  });

  it('draws a progress chart with a text alternative', async () => {
    await start();
    await h.send('Bo', '/project create Novel 50000 2026-11-30');
    for (let day = 0; day < 5; day++) {
      await h.send('Bo', '/log 2000');
      h.clock.advance(DAY);
    }
    const reply = await h.send('Bo', '/project');
    expect(reply).toMatchObject({ visibility: 'private', text: 'Novel (current): 10,000 of 50,000 words by Mon 30 Nov · 1,600 a day to stay on pace · on par' });
    const [image] = reply!.images!;
    expect(image!.alt).toBe('Novel: 10,000 of 50,000 words from 1 Nov to 30 Nov; par for day 6 of 30 is 10,000.');
    const png = PNG.sync.read(Buffer.from(image!.png));
    expect([png.width, png.height]).toEqual([1200, 640]);
  });

  it('refuses bad input with one private line and writes nothing', async () => {
    await start();
    await h.send('Bo', '/project create Novel 50000 2026-11-30');
    await h.send('Bo', '/log 100');
    const before = await rowCounts(h.db);
    const refusals: [string, RegExp][] = [
      ['/project create novel', /^You already have a project called "novel"/],
      ['/project create Essays 5000 2026-10-01', /^A deadline cannot be in the past \(today is 2026-11-01\); got 2026-10-01\.$/],
      ['/project create Essays 5000 2026-13-01', /^A deadline is a date, YYYY-MM-DD/],
      ['/project create Essays 0', /target/i],
      ['/project create Essays deadline:2026-12-01', /^A deadline needs a target/],
      [`/project create ${'x'.repeat(45)}`, /^A project name is at most 40 characters; that one has 45\.$/],
      ['/project create', /^A project needs a name/],
      ['/project switch Poems', /^You have no project called "Poems"/],
      ['/project archive Poems', /^You have no project called "Poems"/],
      ['/log 500 project:Poems', /^You have no project called "Poems"/],
    ];
    for (const [line, reason] of refusals) {
      const reply = await h.send('Bo', line);
      expect(reply, line).toMatchObject({ visibility: 'private', text: expect.stringMatching(reason) });
      expect(reply!.text.split('\n'), line).toHaveLength(1);
    }
    // A newcomer's log to a project they do not have joins them to nothing.
    expect(await h.text('Nell', '/log 500 project:Novel')).toMatch(/^You have no project called "Novel"/);
    expect(await h.text('Nell', '/project')).toMatch(/^You have no current project/);
    expect(await rowCounts(h.db)).toEqual(before);
    expect(h.errors).toEqual([]);
  });

  it("keeps members and groups apart: a project name is one member's in one group", async () => {
    await start();
    await h.send({ ...admin, channel: 'poetry' }, '/setup UTC');
    await h.send('Bo', '/project create Novel 50000 2026-11-30');
    expect(await h.text('Cy', '/project create Novel')).toMatch(/^📚 Project created\. Novel \(current\): 0 words/);
    await h.send('Cy', '/log 999');
    expect(await h.text({ name: 'Bo', channel: 'poetry' }, '/log 300 project:Novel')).toMatch(/^You have no project called "Novel"/);
    await h.send({ name: 'Bo', channel: 'poetry' }, '/log 300');
    expect(await h.text('Bo', '/project list')).toMatch(/Novel \(current\): 0 of 50,000/);
  });

  it('puts projects in /export and takes them away with /forget', async () => {
    await start();
    await h.send('Bo', '/project create Novel 50000 2026-11-30');
    await h.send('Bo', '/log 1200');
    await h.send('Cy', '/project create Memoir');
    const data = JSON.parse(String((await h.send('Bo', '/export'))!.files![0]!.content));
    expect(data.groups[0].projects).toEqual([{ name: 'Novel', targetWords: 50000, deadline: '2026-11-30', started: '2026-11-01', words: 1200, current: true, archivedAt: null }]);
    await h.press('Bo', (await h.send('Bo', '/forget'))!.buttons![0]!);
    expect(await h.db.selectFrom('projects').select('name').execute()).toEqual([{ name: 'Memoir' }]);
    expect(await h.db.selectFrom('project_logs').selectAll().execute()).toEqual([]);
  });

  it('shows a hostile project or challenge name plainly: no mention, no @everyone', async () => {
    await start();
    const created = await h.text('Bo', '/project create "@everyone <@u1>"');
    expect(created).toContain('@\u200beveryone ‹@u1›');
    expect(created).not.toMatch(/<@|@everyone/);
    expect(await h.text('Bo', '/log 5 project:"<@u2>"')).toBe('You have no project called "‹@u2›". /project list shows yours; /project create <name> starts one.');
    const challenge = await h.text(admin, '/challenge create "@here <#c1>" 2026-11-01 2026-11-30');
    expect(challenge).toContain('@\u200bhere ‹#c1›');
    expect(challenge).not.toMatch(/<#|@here/);
  });
});
