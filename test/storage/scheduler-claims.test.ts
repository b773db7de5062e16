import { describe, expect, it } from 'vitest';
import { claimDueJobs } from '../../src/db/scheduled-job.repository';
import type { Scheduler } from '../../src/scheduler/scheduler';
import { DIALECTS } from '../support/databases';
import { schedulerFixture } from '../support/scheduler-fixture';

const MINUTE = 60_000;
const GROUP_A = 1;
const GROUP_B = 2;

for (const dialect of DIALECTS) {
  describe(`scheduler claims on ${dialect}`, () => {
    const f = schedulerFixture(dialect);
    const { scheduler, due, row } = f;

    it('GIVEN a job that posted and then failed THEN it is not claimed again before its backoff elapses, and is once it has', async () => {
      const seen: (string | null)[] = [];
      const s = scheduler({
        handlers: {
          digest: async (job, markSent) => {
            seen.push(job.message_id);
            if (seen.length > 1) return 'done';
            await markSent('m1');
            throw new Error('could not edit the announcement');
          },
          'wrap-up': async () => 'done',
        },
      });
      await due('digest');
      await s.tick();
      expect(await row('digest')).toMatchObject({ state: 'sent', message_id: 'm1', due_at: f.clock.now() + MINUTE });
      f.clock.advance(MINUTE - 1);
      await due('wrap-up');
      await s.tick();
      // The tick ran (the wrap-up due meanwhile is done) without touching the job that waits.
      expect(await row('wrap-up')).toMatchObject({ state: 'done' });
      expect(seen).toEqual([null]);
      f.clock.advance(1);
      await s.tick();
      expect(seen).toEqual([null, 'm1']);
      expect(await row('digest')).toMatchObject({ state: 'done', message_id: 'm1', attempts: 2 });
    });

    it('GIVEN a batch whose last job went stale while the others ran THEN the process that took it over runs it, once', async () => {
      const runs: string[] = [];
      let other: Scheduler | undefined;
      const first = scheduler({
        // One job at a time, so the later ones of the batch wait their turn.
        concurrency: 1,
        staleClaimMs: 3 * MINUTE,
        handlers: {
          digest: async (job) => {
            runs.push(`first:${job.subject}`);
            // Each job takes two minutes (within its deadline); the third waits four and goes stale.
            f.clock.advance(2 * MINUTE);
            if (job.subject === '2') await other!.tick();
            return 'done';
          },
        },
      });
      other = scheduler({ staleClaimMs: 3 * MINUTE, handlers: { digest: async (job) => (runs.push(`other:${job.subject}`), 'done') } });
      for (const subject of ['1', '2', '3']) await due('digest', subject);
      await first.tick();
      expect(runs).toEqual(['first:1', 'first:2', 'other:3']);
      expect(await row('digest', '2')).toMatchObject({ state: 'done', claimed_by: first.owner });
      expect(await row('digest', '3')).toMatchObject({ state: 'done', claimed_by: other.owner });
    });

    it("GIVEN group A's backlog of due jobs THEN each claim takes group B's due job ahead of A's, whether A's earlier ones wait to be claimed or are in hand", async () => {
      const claim = (owner: string, limit: number) => claimDueJobs(f.db, { now: f.clock.now(), staleBefore: f.clock.now() - 3 * MINUTE, owner, limit });
      // A's fifty are due a minute before B's one.
      for (let i = 0; i < 50; i++) await due('wrap-up', `a${i}`, f.clock.now() - MINUTE, GROUP_A);
      await due('wrap-up', 'b1', f.clock.now(), GROUP_B);
      const first = await claim('one process', 10);
      // The groups take turns: A's oldest, B's, then the rest of A's in order.
      expect(first.map((job) => job.subject)).toEqual(['a0', 'b1', ...Array.from({ length: 8 }, (_, i) => `a${i + 1}`)]);
      // B's next job falls due while A's first nine are in hand: another process's claim of one takes it, not A's tenth.
      f.clock.advance(MINUTE);
      await due('wrap-up', 'b2', f.clock.now(), GROUP_B);
      expect((await claim('another process', 1)).map((job) => job.subject)).toEqual(['b2']);
      expect((await claim('another process', 1)).map((job) => job.subject)).toEqual(['a9']);
    });

    it('GIVEN claims whose process died, before or after posting THEN they are taken over once stale, not before', async () => {
      const seen: (string | null)[] = [];
      const s = scheduler({
        staleClaimMs: 10 * MINUTE,
        handlers: {
          digest: async (job) => {
            seen.push(job.message_id);
            return 'done';
          },
          'wrap-up': async () => 'done',
        },
      });
      await due('digest', '1');
      await due('digest', '2');
      await f.db.updateTable('scheduled_jobs').set({ state: 'claimed', claimed_by: 'dead', claimed_at: f.clock.now() }).where('subject', '=', '1').execute();
      await f.db.updateTable('scheduled_jobs').set({ state: 'sent', claimed_by: 'dead', claimed_at: f.clock.now(), message_id: 'm2' }).where('subject', '=', '2').execute();
      f.clock.advance(10 * MINUTE);
      await due('wrap-up');
      await s.tick();
      expect(await row('wrap-up')).toMatchObject({ state: 'done' });
      expect(seen).toEqual([]);
      f.clock.advance(1);
      await s.tick();
      expect(seen.sort()).toEqual(['m2', null]);
      expect(await row('digest', '1')).toMatchObject({ state: 'done', claimed_by: s.owner });
      expect(await row('digest', '2')).toMatchObject({ state: 'done', message_id: 'm2' });
    });
  });
}
