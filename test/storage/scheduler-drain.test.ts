import { describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/databases';
import { schedulerFixture } from '../support/scheduler-fixture';

for (const dialect of DIALECTS) {
  describe(`a stopping scheduler on ${dialect}`, () => {
    const f = schedulerFixture(dialect);
    const { scheduler, due, row } = f;

    it('GIVEN jobs claimed and one running WHEN it stops THEN the waiting ones are given back at once, uncounted, and the running one finishes within the grace', async () => {
      let finish!: () => void;
      let started!: () => void;
      const running = new Promise<void>((resolve) => (started = resolve));
      const first = scheduler({
        concurrency: 1,
        handlers: {
          digest: async () => {
            started();
            await new Promise<void>((resolve) => (finish = resolve));
            return 'done';
          },
        },
      });
      for (const subject of ['1', '2', '3']) await due('digest', subject);
      const ticking = first.tick();
      await running;
      const stopped = first.stop(10_000);
      // Another process claims the two that never started, without waiting for their claims to go stale.
      const taken: string[] = [];
      const other = scheduler({ handlers: { digest: async (job) => (taken.push(`${job.subject}:${job.attempts}`), 'done') } });
      for (let i = 0; i < 50 && taken.length < 2; i++) {
        await other.tick();
        if (taken.length < 2) await new Promise((resolve) => setTimeout(resolve, 10));
      }
      expect(taken.sort()).toEqual(['2:1', '3:1']);
      expect(await row('digest', '1')).toMatchObject({ state: 'claimed', claimed_by: first.owner });
      finish();
      await stopped;
      await ticking;
      expect(await row('digest', '1')).toMatchObject({ state: 'done', attempts: 1 });
    });

    it('GIVEN a job still running after the grace THEN its claim is given back as an attempt, and its late end is not recorded', async () => {
      let finish!: () => void;
      let started!: () => void;
      const running = new Promise<void>((resolve) => (started = resolve));
      const first = scheduler({
        handlers: {
          digest: async (_job, markSent) => {
            started();
            await new Promise<void>((resolve) => (finish = resolve));
            await markSent('m1');
            return 'done';
          },
        },
      });
      await due('digest');
      const ticking = first.tick();
      await running;
      await first.stop(50);
      expect(await row('digest')).toMatchObject({ state: 'pending', claimed_at: null, attempts: 1 });
      finish();
      await ticking;
      // The post that landed late is recorded, so the next attempt does not post again; the job is not done.
      expect(await row('digest')).toMatchObject({ state: 'sent', message_id: 'm1', claimed_at: null });
    });
  });
}
