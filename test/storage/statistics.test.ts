import { CompiledQuery } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/core/invocation';
import { type DatabaseHandle, openDatabase } from '../../src/db/database';
import { upsertGroup } from '../../src/db/group.repository';
import { insertPeopleAndMembers } from '../../src/db/member.repository';
import { migrateToLatest } from '../../src/db/migrate';
import { refreshStatistics } from '../../src/db/statistics';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../support/databases';

const NOW = Date.parse('2026-03-10T12:00:00Z');

/** Tables the planner has statistics of: SQLite's sqlite_stat1 entries, Postgres' analysed tables of this schema. */
async function analysedTables(handle: DatabaseHandle): Promise<Map<string, number>> {
  if (handle.sqlite) {
    if (!handle.sqlite.prepare("select name from sqlite_master where name = 'sqlite_stat1'").get()) return new Map();
    const rows = handle.sqlite.prepare('select tbl, stat from sqlite_stat1').all() as { tbl: string; stat: string }[];
    return new Map(rows.map((r) => [r.tbl, Number(r.stat.split(' ')[0])]));
  }
  const { rows } = await handle.db.executeQuery<{ relname: string; n: number }>(
    CompiledQuery.raw(
      `select relname, (select reltuples from pg_class c where c.oid = s.relid) as n from pg_stat_user_tables s
       where schemaname = current_schema() and last_analyze is not null`,
    ),
  );
  return new Map(rows.map((r) => [r.relname, Number(r.n)]));
}

for (const dialect of DIALECTS) {
  describe(`planner statistics on ${dialect}`, () => {
    let testDb: TestDatabase;
    let handle: DatabaseHandle;
    afterEach(async () => {
      await handle.close();
      await testDb.drop();
    });

    it('GIVEN a fresh database WHEN it is migrated THEN its tables have been analysed', async () => {
      testDb = await createTestDatabase(dialect);
      handle = openDatabase(testDb.config);
      expect(await analysedTables(handle)).toEqual(new Map());
      await migrateToLatest(handle);
      if (handle.sqlite) {
        const stat = handle.sqlite.prepare("select name from sqlite_master where name = 'sqlite_stat1'").all();
        expect(stat).toHaveLength(1);
      } else {
        expect([...(await analysedTables(handle)).keys()]).toEqual(expect.arrayContaining(['logs', 'members', 'people']));
      }
    });

    it('GIVEN tables that grew after migrating WHEN statistics are refreshed THEN the planner knows their new size', async () => {
      testDb = await createTestDatabase(dialect);
      handle = openDatabase(testDb.config);
      await migrateToLatest(handle);
      const groupId = await upsertGroup(handle.db, { platform: 'slack', workspaceId: 'W1', channelId: 'C1', announceChannelId: 'C1', timezone: 'UTC', createdBy: 'U0' }, NOW);
      const actors: Actor[] = Array.from({ length: 300 }, (_, i) => ({ platform: 'slack', workspaceId: 'W1', userId: `U${i}`, displayName: `Writer ${i}`, isAdmin: false }));
      await insertPeopleAndMembers(handle.db, groupId, actors, NOW);
      expect((await analysedTables(handle)).get('people') ?? 0).toBeLessThan(300);
      await refreshStatistics(handle);
      expect((await analysedTables(handle)).get('people')).toBe(300);
    });
  });
}
