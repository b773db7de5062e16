import { afterEach, describe, expect, it, vi } from 'vitest';
import { scheduleJob } from '../../src/db/scheduled-job.repository';
import type { ScheduledJobRow } from '../../src/db/scheduled-job.table';
import type { TickTask } from '../../src/scheduler/scheduler';
import { JOB_NAMES } from '../../src/domain/job-names';
import { DIALECTS } from '../support/databases';
import { schedulerFixture } from '../support/scheduler-fixture';
import { Harness } from '../support/harness';

const MINUTE = 60_000;
/** Short enough for a test, long enough for a handler that does answer to finish well within it. */
const DEADLINE_MS = 300;

/** A promise settled from outside. */
function gate<T = void>() {
  let open!: (value: T) => void;
  const promise = new Promise<T>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

const hangs = () => new Promise<never>(() => {});

for (const dialect of DIALECTS) {
  describe(`scheduler deadlines on ${dialect}`, () => {
    const f = schedulerFixture(dialect, { jobDeadlineMs: DEADLINE_MS, taskDeadlineMs: DEADLINE_MS });
    const { scheduler, due, row } = f;

    it('GIVEN a job that never finishes next to two others THEN the others are done in the same tick and the stuck one is released for retry and logged', async () => {
      const signals: AbortSignal[] = [];
      const s = scheduler({
        handlers: {
          stuck: (_job, _markSent, signal) => {
            signals.push(signal);
            return hangs();
          },
          'wrap-up': async () => 'done',
          digest: async (_job, markSent) => {
            await markSent('m-digest');
            return 'done';
          },
        },
      });
      // The stuck job is the earliest due, so it runs first and the others come after it.
      await due('stuck', '1', f.clock.now() - 2 * MINUTE);
      await due('wrap-up', '2', f.clock.now() - MINUTE);
      await due('digest', '3');
      await s.tick();
      expect(await row('wrap-up', '2')).toMatchObject({ state: 'done' });
      expect(await row('digest', '3')).toMatchObject({ state: 'done', message_id: 'm-digest' });
      expect(await row('stuck')).toMatchObject({ state: 'pending', claimed_at: null, attempts: 1, due_at: f.clock.now() + MINUTE, last_error: 'took longer than 0.3 s' });
      expect(signals.map((signal) => signal.aborted)).toEqual([true]);
      expect(f.logs.filter((entry) => entry.level >= 50)).toEqual([
        expect.objectContaining({ msg: 'scheduled job passed its deadline; released for retry', job: 'stuck', subject: '1', period: '2026-W11', deadlineMs: DEADLINE_MS }),
      ]);
    });

    it('GIVEN a tick task that never finishes THEN the due jobs of that round and of the next tick still run', async () => {
      const polls: number[] = [];
      const tasks: Record<string, TickTask> = { 'digest planning': hangs, 'feed polls': async (now) => polls.push(now) };
      const s = scheduler({ tasks, handlers: { digest: async () => 'done' } });
      await due('digest', '1');
      await s.tick();
      expect(await row('digest', '1')).toMatchObject({ state: 'done' });
      f.clock.advance(MINUTE);
      await due('digest', '2');
      await s.tick();
      expect(await row('digest', '2')).toMatchObject({ state: 'done' });
      expect(polls).toEqual([f.clock.now() - MINUTE, f.clock.now()]);
      const late = f.logs.filter((entry) => entry.msg === 'scheduled task passed its deadline; the round goes on without it');
      expect(late.map((entry) => entry.task)).toEqual(['digest planning', 'digest planning']);
    });

    it('GIVEN a background task still running THEN the due jobs of that round and of the next tick run without it, and it is not started twice', async () => {
      const polls = gate();
      let started = 0;
      const s = scheduler({
        taskDeadlineMs: 20_000,
        backgroundTasks: {
          'feed polls': () => {
            started++;
            return polls.promise;
          },
        },
        handlers: { 'wrap-up': async () => 'done' },
      });
      await due('wrap-up', '1');
      await s.tick();
      expect(await row('wrap-up', '1')).toMatchObject({ state: 'done' });
      f.clock.advance(MINUTE);
      await due('wrap-up', '2');
      await s.tick();
      expect(await row('wrap-up', '2')).toMatchObject({ state: 'done' });
      expect(started).toBe(1);
      polls.open();
      await s.settled();
      await s.tick();
      expect(started).toBe(2);
      await s.settled();
    });

    it('GIVEN a round that outlives its deadline THEN the next tick runs a new round, and the old one still records its job', async () => {
      const slow = gate<'done'>();
      const s = scheduler({ jobDeadlineMs: 20_000, roundDeadlineMs: DEADLINE_MS, handlers: { slow: () => slow.promise, quick: async () => 'done' } });
      await due('slow');
      await s.tick();
      expect(f.logs.map((entry) => entry.msg)).toContain('scheduler round passed its deadline; the next tick starts a new one');
      await due('quick');
      await s.tick();
      expect(await row('quick')).toMatchObject({ state: 'done' });
      expect(await row('slow')).toMatchObject({ state: 'claimed' });
      slow.open('done');
      await vi.waitFor(async () => expect(await row('slow')).toMatchObject({ state: 'done' }));
    });

    it('GIVEN a job that keeps failing and a report of it that never finishes THEN the rest of the batch still runs', async () => {
      const reported: string[] = [];
      const s = scheduler({
        repeatedFailureAttempts: 1,
        onRepeatedFailure: async (job) => {
          reported.push(job.job);
          return hangs();
        },
        handlers: { broken: async () => Promise.reject(new Error('Missing Access')), digest: async () => 'done' },
      });
      await due('broken', '1', f.clock.now() - MINUTE);
      await due('digest', '2');
      await s.tick();
      expect(reported).toEqual(['broken']);
      expect(await row('broken')).toMatchObject({ state: 'pending', last_error: 'Missing Access', failure_notified: 1 });
      expect(await row('digest', '2')).toMatchObject({ state: 'done' });
    });

    it('GIVEN a run abandoned at its deadline WHEN it posts after the job was claimed again THEN it does not mark the new claim', async () => {
      const abandoned = gate();
      const lateWrite = gate();
      let whileRetrying: ScheduledJobRow | undefined;
      let runs = 0;
      const s = scheduler({
        handlers: {
          digest: async (_job, markSent) => {
            if (++runs === 1) {
              await abandoned.promise;
              await markSent('late');
              lateWrite.open();
              return 'done';
            }
            abandoned.open();
            await lateWrite.promise;
            whileRetrying = await row('digest');
            await markSent('retried');
            return 'done';
          },
        },
      });
      await due('digest');
      await s.tick();
      f.clock.advance(MINUTE);
      await s.tick();
      expect(runs).toBe(2);
      expect(whileRetrying).toMatchObject({ state: 'claimed', message_id: null, attempts: 2 });
      expect(await row('digest')).toMatchObject({ state: 'done', message_id: 'retried' });
    });

    it('GIVEN a run abandoned at its deadline WHEN it posts before the retry THEN the post is recorded and the retry does not post again', async () => {
      const abandoned = gate();
      const lateWrite = gate();
      const seen: (string | null)[] = [];
      const s = scheduler({
        handlers: {
          'wrap-up': async (job, markSent) => {
            seen.push(job.message_id);
            if (seen.length === 1) {
              await abandoned.promise;
              await markSent('late');
              lateWrite.open();
              return 'done';
            }
            if (!job.message_id) await markSent('posted twice');
            return 'done';
          },
        },
      });
      await due('wrap-up');
      await s.tick();
      abandoned.open();
      await lateWrite.promise;
      expect(await row('wrap-up')).toMatchObject({ state: 'sent', message_id: 'late', claimed_at: null, due_at: f.clock.now() + MINUTE });
      f.clock.advance(MINUTE);
      await s.tick();
      expect(seen).toEqual([null, 'late']);
      expect(await row('wrap-up')).toMatchObject({ state: 'done', message_id: 'late' });
    });
  });

  describe(`digests retried after they went out, on ${dialect}`, () => {
    let h: Harness;
    afterEach(() => h.close());

    it('GIVEN a weekly digest whose post is recorded WHEN it is retried THEN it is not posted again', async () => {
      // Tuesday: the group is newer than Monday's digest, so nothing else is due.
      h = await Harness.create({ dialect, now: '2026-03-10T12:00:00Z' });
      await h.send({ name: 'Ada', admin: true }, '/setup UTC');
      const group = await h.db.selectFrom('groups').select('id').executeTakeFirstOrThrow();
      const key = { job: JOB_NAMES.weeklyDigest, subject: String(group.id), period: '2026-03-09T09:00' };
      await scheduleJob(h.db, { ...key, groupId: group.id }, h.clock.now(), h.clock.now(), 'sent');
      await h.db.updateTable('scheduled_jobs').set({ message_id: 'm-earlier' }).where('job', '=', key.job).execute();
      await h.tick();
      expect(await h.db.selectFrom('scheduled_jobs').select(['state', 'message_id', 'attempts']).where('job', '=', key.job).executeTakeFirstOrThrow()).toEqual({
        state: 'done',
        message_id: 'm-earlier',
        attempts: 1,
      });
      expect(h.adapter.posts.filter((p) => p.reply.text.startsWith('📬'))).toEqual([]);
    });
  });
}
