import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { JOB_NAMES } from '../../src/domain/job-names';
import { jobRegistry, reportRepeatedFailure } from '../../src/scheduler/jobs';
import { Harness } from '../support/harness';

const admin = { name: 'Ada', admin: true };
const MINUTE = 60_000;

describe('the registry of scheduled jobs', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await Harness.create({ now: '2026-03-10T12:00:00Z' });
    await h.send(admin, '/setup Europe/London channel:#reading');
  });
  afterEach(() => h.close());

  const registry = () => jobRegistry({ db: h.db, outbound: h.app.hub, services: h.app.services });
  const wrapUpRow = () => h.db.selectFrom('scheduled_jobs').selectAll().where('job', '=', JOB_NAMES.firstHourClose).executeTakeFirstOrThrow();

  it('has one entry for every job name, so every job that is planned or scheduled runs', () => {
    const names = registry().map((entry) => entry.name);
    expect(names.toSorted()).toEqual(Object.values(JOB_NAMES).toSorted());
  });

  it("tells the group's admin once when a first-hour wrap-up keeps failing, finding the group through its publication", async () => {
    await h.send('Bo', '/publish https://example.com/a A');
    h.adapter.brokenChannels.add('reading');
    for (let minute = 0; minute < 30; minute++) {
      h.clock.set(Date.parse('2026-03-10T13:01:00Z') + minute * MINUTE);
      await h.tick();
    }
    expect((await wrapUpRow()).attempts).toBeGreaterThanOrEqual(4);
    expect(h.adapter.directMessages.map((d) => [d.to.userId, d.reply.text])).toEqual([
      ['ada', expect.stringMatching(/couldn't post the first hour close in <#reading> after several tries \(Missing Access\)/)],
    ]);
  });

  it("names a sprint's own channel when its posts keep failing, not the announcement channel", async () => {
    expect(await h.text('Bo', '/sprint start 20')).toMatch(/^You're in/);
    h.adapter.brokenChannels.add('general');
    for (let minute = 2; minute <= 12; minute++) {
      h.clock.set(Date.parse('2026-03-10T12:00:00Z') + minute * MINUTE);
      await h.tick();
    }
    const start = await h.db.selectFrom('scheduled_jobs').select('attempts').where('job', '=', JOB_NAMES.sprintStart).executeTakeFirstOrThrow();
    expect(start.attempts).toBeGreaterThanOrEqual(3);
    expect(h.adapter.directMessages.map((d) => [d.to.userId, d.reply.text])).toEqual([
      ['ada', "I couldn't post the sprint start in <#general> after several tries (Missing Access). Check that I can post there."],
    ]);
  });

  it("reports nothing for a member's streak nudge, which has no group to tell", async () => {
    await h.send('Bo', '/publish https://example.com/a A');
    const wrapUp = await wrapUpRow();
    const bo = await h.db.selectFrom('publications').select('member_id').executeTakeFirstOrThrow();
    const report = reportRepeatedFailure(registry(), h.app.hub);
    await report({ ...wrapUp, job: JOB_NAMES.streakNudge, subject: String(bo.member_id) }, 'Cannot send messages to this user');
    await report(wrapUp, 'Missing Access');
    expect(h.adapter.directMessages.map((d) => d.reply.text)).toEqual([expect.stringMatching(/couldn't post the first hour close in <#reading>/)]);
  });
});
