import { type Kysely, sql } from 'kysely';
import { createServer, type AddressInfo } from 'node:net';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { migrations } from '../../migrations/index';
import { type DatabaseHandle, openDatabase } from '../../src/db/database';
import { migrateToLatest } from '../../src/db/migrate';
import { scheduleJob } from '../../src/db/scheduled-job.repository';
import { JOB_NAMES } from '../../src/domain/job-names';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../support/databases';
import { Harness } from '../support/harness';
import { runTypeScript } from '../support/processes';

/** The tables of this database, or on Postgres of the connection's own schema (other schemas share the server). */
async function tableNames({ db, dialect }: DatabaseHandle): Promise<string[]> {
  const tables = await db.introspection.getTables();
  const own = dialect === 'postgres' ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(db)).rows[0]?.schema : undefined;
  return tables
    .filter((t) => own === undefined || t.schema === own)
    .map((t) => t.name)
    .filter((name) => !name.startsWith('kysely_'))
    .sort();
}

for (const dialect of DIALECTS) {
  describe(`migrations on ${dialect}`, () => {
    let testDb: TestDatabase;
    afterEach(() => testDb.drop());

    it('leave the schema untouched when one fails part-way (all or nothing)', async () => {
      testDb = await createTestDatabase(dialect);
      const handle = openDatabase(testDb.config);
      const broken = {
        ...migrations,
        '29990101000000_broken': {
          up: async (db: Kysely<any>) => {
            await db.schema.createTable('half_done').addColumn('id', 'integer').execute();
            await sql`select * from no_such_table`.execute(db);
          },
        },
      };
      await expect(migrateToLatest(handle, broken)).rejects.toThrow(/Database migration 29990101000000_broken failed; nothing was changed/);
      expect(await tableNames(handle)).toEqual([]);
      expect(await migrateToLatest(handle)).toEqual(Object.keys(migrations));
      expect(await tableNames(handle)).toContain('logs');
      await handle.close();
    });

    it('run once when two processes start together', async () => {
      testDb = await createTestDatabase(dialect);
      const config = JSON.stringify(testDb.config);
      const outputs = await Promise.all([1, 2, 3].map(() => runTypeScript('test/support/migrate-process.ts', [config])));
      const applied = outputs.flatMap((out) => JSON.parse(out) as string[]);
      expect(applied).toEqual(Object.keys(migrations));
    });

    it('can be rolled back down to nothing', async () => {
      testDb = await createTestDatabase(dialect);
      const handle = openDatabase(testDb.config);
      await migrateToLatest(handle);
      for (const name of Object.keys(migrations).reverse()) await migrations[name]!.down!(handle.db);
      expect(await tableNames(handle)).toEqual([]);
      await handle.close();
    });
  });
}

describe.runIf(DIALECTS.includes('postgres'))('migrations in one schema of a shared Postgres database', () => {
  const made: TestDatabase[] = [];
  afterEach(async () => {
    for (const db of made.splice(0)) await db.drop();
  });

  it("GIVEN another schema already migrated THEN a new schema still gets its own bookkeeping and every table", async () => {
    const first = await createTestDatabase('postgres');
    const second = await createTestDatabase('postgres');
    made.push(first, second);
    const one = openDatabase(first.config);
    await migrateToLatest(one);
    await one.close();
    const two = openDatabase(second.config);
    expect(await migrateToLatest(two)).toEqual(Object.keys(migrations));
    expect(await tableNames(two)).toContain('logs');
    const { rows } = await sql<{ schema: string }>`select table_schema as schema from information_schema.tables where table_name = 'kysely_migration' and table_schema = current_schema()`.execute(two.db);
    expect(rows).toHaveLength(1);
    await two.close();
  });

  it('GIVEN other schemas on the server THEN the migrations never list their tables, which may be dropped meanwhile', async () => {
    const own = await createTestDatabase('postgres');
    made.push(own);
    const handle = openDatabase(own.config);
    const seen: string[] = [];
    const query = pg.Client.prototype.query;
    pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
      const text = typeof args[0] === 'string' ? args[0] : (args[0] as { text?: string } | undefined)?.text;
      if (text) seen.push(text);
      return (query as (...a: unknown[]) => unknown).apply(this, args);
    } as typeof query;
    try {
      expect(await migrateToLatest(handle)).toEqual(Object.keys(migrations));
      expect(await migrateToLatest(handle)).toEqual([]);
    } finally {
      pg.Client.prototype.query = query;
      await handle.close();
    }
    expect(seen.filter((text) => /pg_attribute/.test(text))).toEqual([]);
  });
});

describe('an unreachable database', () => {
  it('GIVEN no server at the address THEN says where it looked and why, without the password', async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as AddressInfo;
        probe.close(() => resolve(port));
      });
    });
    const handle = openDatabase({ postgresUrl: `postgres://writer:hunter2@127.0.0.1:${port}/bot` });
    const failure = await migrateToLatest(handle).then(
      () => undefined,
      (error: Error) => error.message,
    );
    await handle.close();
    expect(failure).toBe(`Could not reach the database at 127.0.0.1:${port}: connect ECONNREFUSED 127.0.0.1:${port}`);
  });
});

for (const dialect of DIALECTS) {
  describe(`the groups of scheduled jobs kept before, on ${dialect}`, () => {
    let h: Harness | undefined;
    afterEach(() => h?.close());

    it('GIVEN jobs scheduled before jobs named their group THEN the migration fills in the group of each job still to run, from its subject', async () => {
      h = await Harness.create({ dialect, now: '2026-03-10T12:00:00Z' });
      // A first group, so the second's id is none of its publication's, sprint's or challenge's.
      await h.send({ name: 'Ada', admin: true }, '/setup UTC');
      const bo = { name: 'Bo', admin: true, workspace: 'w2', channel: 'poetry' };
      await h.send(bo, '/setup UTC');
      await h.send(bo, '/publish https://example.com/a An article');
      await h.send(bo, '/sprint start');
      await h.send(bo, '/challenge create spring 2026-03-10 2026-03-20 words 1000');
      const group = await h.db.selectFrom('groups').select('id').where('channel_id', '=', 'poetry').executeTakeFirstOrThrow();
      const member = await h.db.selectFrom('members').select('id').where('group_id', '=', group.id).executeTakeFirstOrThrow();
      const now = h.clock.now();
      await scheduleJob(h.db, { job: JOB_NAMES.weeklyDigest, subject: String(group.id), period: '2026-03-16T09:00', groupId: group.id }, now + 86_400_000, now);
      await scheduleJob(h.db, { job: JOB_NAMES.streakNudge, subject: String(member.id), period: '2026-03-10', groupId: group.id }, now, now);
      await scheduleJob(h.db, { job: JOB_NAMES.dailyDigest, subject: String(group.id), period: '2026-03-09', groupId: group.id }, now, now, 'done');
      const migration = migrations['20261201000800_scheduled_job_groups']!;
      await migration.down!(h.db);
      await migration.up(h.db);
      const rows = await h.db.selectFrom('scheduled_jobs').select(['job', 'state', 'group_id']).orderBy('job').execute();
      expect(rows).toEqual([
        { job: JOB_NAMES.challengeWrapUp, state: 'pending', group_id: group.id },
        { job: JOB_NAMES.dailyDigest, state: 'done', group_id: null },
        { job: JOB_NAMES.firstHourClose, state: 'pending', group_id: group.id },
        { job: JOB_NAMES.sprintEnd, state: 'pending', group_id: group.id },
        { job: JOB_NAMES.sprintResults, state: 'pending', group_id: group.id },
        { job: JOB_NAMES.sprintStart, state: 'pending', group_id: group.id },
        { job: JOB_NAMES.streakNudge, state: 'pending', group_id: group.id },
        { job: JOB_NAMES.weeklyDigest, state: 'pending', group_id: group.id },
      ]);
    });
  });
}
