import { type Kysely, sql } from 'kysely';
import { countFollowerPeriods } from '../src/domain/follower-periods';

/** Members counted per query while the periods are first filled in. */
const MEMBERS_PER_BATCH = 200;
const ROWS_PER_INSERT = 500;

/**
 * Follower gains per member and period, filled in here from the reports already kept, with two partial
 * indexes: a period's gainers in gain order, and its newcomers in join order. Streak boards read
 * streaks in the board's own order (current and longest down, then join order), so ties need no sort;
 * a digest finds the streaks that began in its week, and those whose covered time ends in it, by index.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('follower_periods')
    .addColumn('member_id', 'integer', (c) => c.notNull().references('members.id').onDelete('cascade'))
    .addColumn('group_id', 'integer', (c) => c.notNull().references('groups.id').onDelete('cascade'))
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('gain', 'integer', (c) => c.notNull())
    .addColumn('first_report', 'integer', (c) => c.notNull())
    .addColumn('end_total', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('follower_periods_pk', ['member_id', 'period'])
    .execute();
  await db.schema
    .createIndex('follower_periods_gainers')
    .on('follower_periods')
    .columns(['group_id', 'period', 'gain desc', 'member_id'])
    .where(sql<boolean>`first_report = 0 and gain <> 0`)
    .execute();
  await db.schema
    .createIndex('follower_periods_newcomers')
    .on('follower_periods')
    .columns(['group_id', 'period', 'member_id'])
    .where(sql<boolean>`first_report = 1`)
    .execute();
  await db.schema.dropIndex('streaks_group_length').execute();
  await db.schema.createIndex('streaks_group_rank').on('streaks').columns(['group_id', 'current desc', 'longest desc', 'member_id']).execute();
  await db.schema.createIndex('streaks_group_start').on('streaks').columns(['group_id', 'start_date']).execute();
  await db.schema.createIndex('streaks_group_covered').on('streaks').columns(['group_id', 'covered_until']).execute();

  const groups = await db.selectFrom('groups').select(['id', 'timezone', 'week_start']).orderBy('id').execute();
  for (const group of groups) {
    const members = await db.selectFrom('members').select('id').where('group_id', '=', group.id).orderBy('id').execute();
    for (let i = 0; i < members.length; i += MEMBERS_PER_BATCH) {
      const ids = members.slice(i, i + MEMBERS_PER_BATCH).map((m: { id: number }) => m.id);
      const reports = await db
        .selectFrom('follower_snapshots')
        .select(['member_id', 'total', 'previous_total', 'recorded_at'])
        .where('member_id', 'in', ids)
        .orderBy('recorded_at')
        .orderBy('id')
        .execute();
      const rows = countFollowerPeriods({ id: group.id, timezone: group.timezone, weekStart: group.week_start }, reports);
      for (let j = 0; j < rows.length; j += ROWS_PER_INSERT) {
        await db
          .insertInto('follower_periods')
          .values(rows.slice(j, j + ROWS_PER_INSERT).map((r) => ({ member_id: r.memberId, group_id: r.groupId, period: r.period, gain: r.gain, first_report: r.firstReport, end_total: r.endTotal })))
          .execute();
      }
    }
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('streaks_group_covered').execute();
  await db.schema.dropIndex('streaks_group_start').execute();
  await db.schema.dropIndex('streaks_group_rank').execute();
  await db.schema.createIndex('streaks_group_length').on('streaks').columns(['group_id', 'current', 'longest']).execute();
  await db.schema.dropTable('follower_periods').execute();
}
