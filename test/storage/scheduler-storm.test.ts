import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { upsertGroup, updateGroupSettings } from '../../src/db/group.repository';
import { createApp } from '../../src/app';
import { DEFAULT_PICTURE_SETTINGS } from '../../src/render/picture-pool';
import { DigestPlanner } from '../../src/scheduler/digest-planner';
import { JOBS_PER_PICTURE_THREAD } from '../../src/scheduler/scheduler';
import { DIALECTS } from '../support/databases';
import { schedulerFixture } from '../support/scheduler-fixture';
import { watchedDb } from '../support/watched-db';

const MINUTE = 60_000;
const GROUPS = 300;
/** A third of the groups post on Monday at 09:00 UTC, the rest on Wednesday at 18:00. */
const MONDAY_GROUPS = GROUPS / 3;
const quiet = pino({ level: 'silent' });

/** Counts turns of the event loop until stopped: a chain of setImmediate, one link per turn. */
function loopTurns() {
  let turns = 0;
  let running = true;
  const turn = () => {
    turns++;
    if (running) setImmediate(turn);
  };
  setImmediate(turn);
  return {
    stop(): number {
      running = false;
      return turns;
    },
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A promise settled from outside. */
function gate() {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

for (const dialect of DIALECTS) {
  describe(`the scheduler in a storm of due work, on ${dialect}`, () => {
    const f = schedulerFixture(dialect);

    async function setUpGroups(now: number): Promise<void> {
      for (let i = 0; i < GROUPS; i++) {
        const id = await upsertGroup(f.db, { platform: 'console', workspaceId: 'w1', channelId: `g${i}`, announceChannelId: `g${i}`, timezone: 'UTC', createdBy: 'ada' }, now);
        if (i >= MONDAY_GROUPS) await updateGroupSettings(f.db, id, { digestCron: '0 18 * * 3' }, now);
      }
    }

    it(`GIVEN ${GROUPS} groups WHEN ${MONDAY_GROUPS} of them are due THEN planning reads only those and writes their rows in one transaction`, async () => {
      const sunday = Date.parse('2026-03-15T12:00:00Z');
      await setUpGroups(sunday);
      const { db, watch } = watchedDb(f.db);
      const planner = new DigestPlanner({ db, logger: quiet });
      // The first look reads every group once and records each schedule's next run; nothing is due yet.
      await planner.plan(sunday);
      expect(watch.rowsRead.groups).toBe(GROUPS);
      expect(watch.inserts.filter((i) => i.table === 'scheduled_jobs').reduce((sum, i) => sum + i.rows, 0)).toBe(0);

      // Later ticks with nothing due, once the groups' changes are a few minutes old, read no group and write nothing.
      await planner.plan(sunday + 5 * MINUTE);
      for (const minutes of [20, 60, 600]) {
        watch.reset();
        await planner.plan(sunday + minutes * MINUTE);
        expect({ groups: watch.rowsRead.groups ?? 0, plans: watch.rowsRead.planned_schedules ?? 0, transactions: watch.transactions }).toEqual({ groups: 0, plans: 0, transactions: 0 });
      }

      watch.reset();
      const monday = Date.parse('2026-03-16T09:00:00Z');
      await planner.plan(monday);
      expect(watch.rowsRead.groups).toBe(MONDAY_GROUPS);
      // The weekly digest and the followers reminder of each Monday group came due; nothing else was read.
      expect(watch.rowsRead.planned_schedules).toBeLessThanOrEqual(3 * MONDAY_GROUPS);
      expect(watch.transactions).toBe(1);
      const jobInserts = watch.inserts.filter((i) => i.table === 'scheduled_jobs');
      expect(jobInserts.every((i) => i.inTransaction)).toBe(true);
      expect(jobInserts.reduce((sum, i) => sum + i.rows, 0)).toBe(MONDAY_GROUPS);
      // Batched: a few multi-row inserts, not one a group.
      expect(jobInserts.length).toBeLessThan(MONDAY_GROUPS / 10);
      const rows = await f.db.selectFrom('scheduled_jobs').select(['job', 'state']).where('period', '=', '2026-03-16T09:00').execute();
      expect(rows).toHaveLength(MONDAY_GROUPS);
      expect(new Set(rows.map((r) => `${r.job} ${r.state}`))).toEqual(new Set(['weekly-digest pending']));

      // A new process starts: it looks at every group once, finds everything planned, and writes nothing.
      const { db: restartedDb, watch: restarted } = watchedDb(f.db);
      await new DigestPlanner({ db: restartedDb, logger: quiet }).plan(monday + MINUTE);
      expect(restarted.rowsRead.groups).toBe(GROUPS);
      expect(restarted.transactions).toBe(0);
    });

    it('GIVEN a group whose schedule changes THEN the next tick plans it, and only it', async () => {
      const sunday = Date.parse('2026-03-15T12:00:00Z');
      await setUpGroups(sunday);
      const { db, watch } = watchedDb(f.db);
      const planner = new DigestPlanner({ db, logger: quiet });
      await planner.plan(sunday);
      await planner.plan(sunday + 20 * MINUTE);
      const later = sunday + 30 * MINUTE;
      const changed = await f.db.selectFrom('groups').select('id').where('channel_id', '=', 'g7').executeTakeFirstOrThrow();
      await updateGroupSettings(f.db, changed.id, { digestCron: '30 12 * * 0' }, later);
      watch.reset();
      await planner.plan(later + MINUTE);
      expect(watch.rowsRead.groups).toBe(1);
      const plan = await f.db.selectFrom('planned_schedules').selectAll().where('job', '=', 'weekly-digest').where('subject', '=', String(changed.id)).executeTakeFirstOrThrow();
      // Its new schedule's past run today was never promised: recorded as skipped, and the next one is next Sunday's.
      expect(plan).toMatchObject({ schedule: '30 12 * * 0|UTC', planned_key: '2026-03-15T12:30', next_at: Date.parse('2026-03-22T12:30:00Z') });
      expect(await f.db.selectFrom('scheduled_jobs').select(['subject', 'state']).execute()).toEqual([{ subject: String(changed.id), state: 'skipped' }]);
    });

    it('GIVEN the planner working through a storm THEN the event loop turns between groups', async () => {
      const sunday = Date.parse('2026-03-15T12:00:00Z');
      await setUpGroups(sunday);
      const planner = new DigestPlanner({ db: f.db, logger: quiet });
      const turns = loopTurns();
      await planner.plan(sunday);
      expect(turns.stop()).toBeGreaterThanOrEqual(GROUPS / 2);
    });

    it(`GIVEN ${GROUPS} due jobs THEN several run at once, never more than the bound`, async () => {
      const CONCURRENCY = 4;
      let inFlight = 0;
      let most = 0;
      // The first jobs wait for each other: they are let go only once the bound is reached.
      const full = gate();
      const s = f.scheduler({
        concurrency: CONCURRENCY,
        handlers: {
          digest: async () => {
            inFlight++;
            most = Math.max(most, inFlight);
            if (inFlight === CONCURRENCY) full.open();
            await full.promise;
            // A network round trip: others may start meanwhile.
            await new Promise((resolve) => setImmediate(resolve));
            inFlight--;
            return 'done';
          },
        },
      });
      for (let i = 0; i < GROUPS; i++) await f.due('digest', String(i));
      await s.tick();
      expect(most).toBe(CONCURRENCY);
      const states = await f.db.selectFrom('scheduled_jobs').select('state').execute();
      expect(states.filter((r) => r.state === 'done')).toHaveLength(GROUPS);
    });

    it('GIVEN jobs that never wait for anything THEN the scheduler still lets the event loop turn between them', async () => {
      const CONCURRENCY = 4;
      const s = f.scheduler({ concurrency: CONCURRENCY, handlers: { digest: async () => 'done' } });
      for (let i = 0; i < GROUPS; i++) await f.due('digest', String(i));
      const turns = loopTurns();
      await s.tick();
      expect(turns.stop()).toBeGreaterThanOrEqual(GROUPS / CONCURRENCY);
    });

    it("GIVEN one group's backlog waiting on its channel THEN at most two of its jobs run at once, and another group's job that falls due meanwhile runs before the backlog is through", async () => {
      const BACKLOG = 12;
      const bRan = gate();
      let running = 0;
      let mostAtOnce = 0;
      let postedByA = 0;
      let postedByAWhenBRan: number | undefined;
      const s = f.scheduler({
        concurrency: 4,
        handlers: {
          'wrap-up': async (job) => {
            if (job.group_id === 2) {
              postedByAWhenBRan = postedByA;
              bRan.open();
              return 'done';
            }
            running++;
            mostAtOnce = Math.max(mostAtOnce, running);
            // A's first post goes out, and B's job falls due. A's channel is backed up after that: each
            // post waits until B's job has run and then takes a moment (or waits half a second, so a
            // scheduler that never gets to B still finishes).
            if (job.subject === 'a0') f.clock.advance(1000);
            else await Promise.race([bRan.promise.then(() => sleep(20)), sleep(500)]);
            running--;
            postedByA++;
            return 'done';
          },
        },
      });
      for (let i = 0; i < BACKLOG; i++) await f.due('wrap-up', `a${i}`, f.clock.now(), 1);
      await f.due('wrap-up', 'b', f.clock.now() + 1000, 2);
      await s.tick();
      expect(mostAtOnce).toBe(2);
      expect(postedByAWhenBRan).toBeLessThanOrEqual(2);
      const states = await f.db.selectFrom('scheduled_jobs').select('state').execute();
      expect(states.filter((r) => r.state === 'done')).toHaveLength(BACKLOG + 1);
    });

    it("GIVEN one group's job that hangs THEN every other group's job is done before its deadline, and it is released for retry", async () => {
      const OTHERS = 40;
      const DEADLINE_MS = 1500;
      let doneWhenItGaveUp: number | undefined;
      let done = 0;
      const allDone = gate();
      const s = f.scheduler({
        concurrency: 4,
        jobDeadlineMs: DEADLINE_MS,
        handlers: {
          digest: async (job, _markSent, signal) => {
            if (job.subject !== 'stuck') {
              if (++done === OTHERS) allDone.open();
              return 'done';
            }
            await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve()));
            doneWhenItGaveUp = done;
            return new Promise<never>(() => {});
          },
        },
      });
      // The hanging group's job is the earliest due, so it is the first taken.
      await f.due('digest', 'stuck', f.clock.now() - MINUTE);
      for (let i = 0; i < OTHERS; i++) await f.due('digest', String(i));
      await s.tick();
      await allDone.promise;
      expect(doneWhenItGaveUp).toBe(OTHERS);
      expect(await f.row('digest', 'stuck')).toMatchObject({ state: 'pending', claimed_at: null, attempts: 1, last_error: 'took longer than 1.5 s' });
    });
  });
}

describe("the app's scheduler", () => {
  it('GIVEN more picture threads THEN as many more jobs run at once, so the threads are kept drawing', async () => {
    const opened = async (threads?: number) => {
      const app = await createApp({ database: { sqlitePath: ':memory:' }, logger: quiet, ...(threads && { settings: { pictures: { ...DEFAULT_PICTURE_SETTINGS, threads } } }) });
      const concurrency = app.scheduler.concurrency;
      await app.close();
      return concurrency;
    };
    expect(await opened()).toBe(JOBS_PER_PICTURE_THREAD);
    expect(await opened(3)).toBe(3 * JOBS_PER_PICTURE_THREAD);
  });
});
