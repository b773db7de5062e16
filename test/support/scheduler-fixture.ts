import pino from 'pino';
import { afterEach, beforeEach } from 'vitest';
import { type DatabaseHandle, type Dialect, openDatabase } from '../../src/db/database';
import { migrateToLatest } from '../../src/db/migrate';
import { scheduleJob } from '../../src/db/scheduled-job.repository';
import { type JobHandler, Scheduler, type SchedulerOptions } from '../../src/scheduler/scheduler';
import { FakeClock } from '../fakes/fake-clock';
import { createTestDatabase, type TestDatabase } from './databases';
import type { LogEntry } from './harness';

export type SchedulerUnderTest = Partial<SchedulerOptions> & { handlers: Record<string, JobHandler> };

/**
 * Schedulers on a fresh, migrated database of `dialect` with a fake clock, for one describe block:
 * each test gets its own database, and every scheduler it made is stopped after it. What they log
 * is kept in `logs`.
 */
export function schedulerFixture(dialect: Dialect, defaults: Partial<SchedulerOptions> = {}) {
  let testDb: TestDatabase;
  let handle: DatabaseHandle;
  let schedulers: Scheduler[] = [];
  let clock = new FakeClock(0);
  let logs: LogEntry[] = [];
  const groupIds = new Map<string, number>();
  const groupOfSubject = (subject: string) => groupIds.get(subject) ?? groupIds.set(subject, groupIds.size + 1).get(subject)!;
  const fixture = {
    get clock(): FakeClock {
      return clock;
    },
    get logs(): LogEntry[] {
      return logs;
    },
    get db() {
      return handle.db;
    },
    /** A scheduler running these handlers, each job name one entry. */
    scheduler({ handlers, ...options }: SchedulerUnderTest): Scheduler {
      const jobs = Object.entries(handlers).map(([name, run]) => ({ name, run }));
      const logger = pino({ level: 'debug' }, { write: (line: string) => logs.push(JSON.parse(line)) });
      const created = new Scheduler({ db: handle.db, clock, logger, ...defaults, ...options, jobs });
      schedulers.push(created);
      return created;
    },
    /** A job due at `at` (now by default), for group `groupId`: by default each subject is a group of its own, as a digest's is. */
    due: (job: string, subject = '1', at = clock.now(), groupId = groupOfSubject(subject)) =>
      scheduleJob(handle.db, { job, subject, period: '2026-W11', groupId }, at, clock.now()),
    row: (job: string, subject = '1') =>
      handle.db.selectFrom('scheduled_jobs').selectAll().where('job', '=', job).where('subject', '=', subject).executeTakeFirstOrThrow(),
  };
  beforeEach(async () => {
    testDb = await createTestDatabase(dialect);
    handle = openDatabase(testDb.config);
    await migrateToLatest(handle);
    clock = new FakeClock(Date.parse('2026-03-10T12:00:00Z'));
    logs = [];
    schedulers = [];
  });
  afterEach(async () => {
    for (const scheduler of schedulers) await scheduler.stop();
    await handle.close();
    await testDb.drop();
  });
  return fixture;
}
