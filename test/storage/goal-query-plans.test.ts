import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/core/invocation';
import { challengeEntries, insertChallenge, joinChallenge } from '../../src/db/challenge.repository';
import { type DatabaseHandle, openDatabase } from '../../src/db/database';
import { listGoalsWithTotals, saveGoal } from '../../src/db/goal.repository';
import { findGroupByChannel, upsertGroup } from '../../src/db/group.repository';
import { insertLog } from '../../src/db/log.repository';
import { addToTotals } from '../../src/db/member-totals.repository';
import { findMembersByUserIds, insertPeopleAndMembers } from '../../src/db/member.repository';
import { migrateToLatest } from '../../src/db/migrate';
import { assignToCurrent, insertProject } from '../../src/db/project.repository';
import { refreshStatistics } from '../../src/db/statistics';
import type { Challenge } from '../../src/domain/challenges';
import type { Group } from '../../src/domain/group';
import type { Member } from '../../src/domain/member';
import { changesOn } from '../../src/domain/running-totals';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../support/databases';
import { constrainedColumns, plansOf, type TableAccess } from '../support/query-plans';

const NOW = Date.parse('2026-03-10T12:00:00Z');
const BIG_TABLES = ['members', 'logs', 'member_totals', 'goals', 'projects', 'project_logs', 'challenge_members', 'publications'];
const scans = (plans: TableAccess[][]) => plans.flat().filter((a) => BIG_TABLES.includes(a.table) && a.kind === 'scan');
const accessOf = (plans: TableAccess[][], table: string) => plans.flat().find((a) => a.table === table)!;

for (const dialect of DIALECTS) {
  describe(`query plans of goals, projects and challenges on ${dialect}`, () => {
    let testDb: TestDatabase;
    let handle: DatabaseHandle;
    let group: Group;
    let writers: Member[];
    let challenge: Challenge;

    beforeAll(async () => {
      testDb = await createTestDatabase(dialect);
      handle = openDatabase(testDb.config);
      await migrateToLatest(handle);
      const groupId = await upsertGroup(handle.db, { platform: 'slack', workspaceId: 'W1', channelId: 'C1', announceChannelId: 'C1', timezone: 'UTC', createdBy: 'U0' }, NOW);
      const actors: Actor[] = Array.from({ length: 1000 }, (_, i) => ({ platform: 'slack', workspaceId: 'W1', userId: `U${i}`, displayName: `Writer ${i}`, isAdmin: false }));
      await insertPeopleAndMembers(handle.db, groupId, actors, NOW);
      group = (await findGroupByChannel(handle.db, 'slack', 'W1', 'C1'))!;
      writers = await findMembersByUserIds(handle.db, group, actors.slice(0, 300).map((a) => a.userId));
      const id = await insertChallenge(handle.db, group.id, { name: 'March', key: 'march', kind: 'words', target: 30000, startDate: '2026-03-02', endDate: '2026-03-20' }, 'U0', NOW);
      challenge = { id: id!, groupId: group.id, name: 'March', kind: 'words', target: 30000, startDate: '2026-03-02', endDate: '2026-03-20' };
      for (const [i, member] of writers.entries()) {
        for (const day of ['2026-03-09', '2026-03-10']) {
          await insertLog(handle.db, {
            member_id: member.id, group_id: group.id, local_date: day, zone: 'UTC', rollover_hour: 0, words: 100 + i, minutes: 0,
            url: null, note: null, source: 'command', event_key: `e${i}-${day}`, message_id: null, logged_at: NOW,
          });
        }
        await saveGoal(handle.db, member, { kind: 'words', period: 'week', target: 5000, byDate: null }, '2026-03-01', NOW);
        await saveGoal(handle.db, member, { kind: 'days', period: 'week', target: 5, byDate: null }, '2026-03-01', NOW);
        await insertProject(handle.db, { member_id: member.id, group_id: group.id, name: 'Novel', name_key: 'novel', target_words: null, deadline: null, start_date: '2026-03-01', is_current: 1, created_at: NOW });
        await joinChallenge(handle.db, challenge.id, member.id, '2026-03-02', NOW);
      }
      await addToTotals(handle.db, writers.flatMap((member, i) => changesOn({ memberId: member.id, groupId: group.id }, '2026-03-10', group.weekStart, { words: 100 + i, days: 1 })));
      await refreshStatistics(handle);
    });
    afterAll(async () => {
      await handle.close();
      await testDb.drop();
    });

    it("GIVEN a /log THEN the member's goals and their period's totals are index probes, and they are the member's own", async () => {
      const member = writers[7]!;
      const keys = { week: 'week:2026-03-09', month: 'month:2026-03', year: 'year:2026' };
      const plans = await plansOf(handle.db, dialect, (db) => listGoalsWithTotals(db, member.id, keys));
      expect(scans(plans)).toEqual([]);
      expect(constrainedColumns(accessOf(plans, 'goals'))).toContain('member_id');
      expect(constrainedColumns(accessOf(plans, 'member_totals'))).toContain('member_id');
      const goals = await listGoalsWithTotals(handle.db, member.id, keys);
      expect(goals.map((g) => [g.goal.kind, g.goal.memberId, g.words, g.days])).toEqual([
        ['words', member.id, 107, 1],
        ['days', member.id, 107, 1],
      ]);
    });

    it("GIVEN a /log THEN finding the member's current project is an index probe", async () => {
      const [first, second] = await handle.db.selectFrom('logs').select('id').where('member_id', '=', writers[3]!.id).orderBy('id').execute();
      const plans = await plansOf(handle.db, dialect, (db) => assignToCurrent(db, writers[3]!.id, first!.id));
      // Postgres shows the table written to as an access of its own (the insert, not a read).
      expect(scans(plans).filter((a) => a.table !== 'project_logs')).toEqual([]);
      expect(constrainedColumns(accessOf(plans, 'projects'))).toContain('member_id');
      await assignToCurrent(handle.db, writers[3]!.id, second!.id);
      const rows = await handle.db.selectFrom('project_logs').innerJoin('projects', 'projects.id', 'project_logs.project_id').select(['project_logs.log_id', 'projects.member_id']).where('project_logs.log_id', '=', second!.id).execute();
      expect(rows).toEqual([{ log_id: second!.id, member_id: writers[3]!.id }]);
    });

    it("GIVEN a challenge over dates that are no whole month THEN its board reads each participant's logs of those dates by index", async () => {
      const plans = await plansOf(handle.db, dialect, (db) => challengeEntries(db, challenge, group, { start: 0, end: NOW }));
      expect(scans(plans).filter((a) => a.table !== 'challenge_members')).toEqual([]);
      expect(constrainedColumns(accessOf(plans, 'logs'))).toContain('member_id');
      const entries = await challengeEntries(handle.db, challenge, group, { start: 0, end: NOW });
      expect(entries).toHaveLength(300);
      expect(entries.reduce((sum, e) => sum + e.done, 0)).toBe(2 * (300 * 100 + (299 * 300) / 2));
    });
  });
}
