import type { Kysely } from 'kysely';
import { countTotals } from '../src/domain/running-totals';

/** Members counted per query while the totals are first filled in. */
const MEMBERS_PER_BATCH = 200;
const ROWS_PER_INSERT = 500;

/**
 * Running totals per member and period (all time, week, month, year), so a board is one index range
 * of the group's period read in score order, not a sum over every log of the period. Filled in here
 * from the logs and first-hour reads already kept. The all-time followers board reads members'
 * latest totals off an index of their own.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('member_totals')
    .addColumn('member_id', 'integer', (c) => c.notNull().references('members.id').onDelete('cascade'))
    .addColumn('group_id', 'integer', (c) => c.notNull().references('groups.id').onDelete('cascade'))
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('words', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('minutes', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('days', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('reads', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('member_totals_pk', ['member_id', 'period'])
    .execute();
  await db.schema.createIndex('member_totals_words').on('member_totals').columns(['group_id', 'period', 'words desc', 'member_id']).execute();
  await db.schema.createIndex('member_totals_reads').on('member_totals').columns(['group_id', 'period', 'reads desc', 'member_id']).execute();
  await db.schema.createIndex('members_group_followers').on('members').columns(['group_id', 'hidden', 'follower_total desc', 'id']).execute();

  const groups = await db.selectFrom('groups').select(['id', 'timezone', 'week_start']).orderBy('id').execute();
  for (const group of groups) {
    const members = await db.selectFrom('members').select('id').where('group_id', '=', group.id).orderBy('id').execute();
    for (let i = 0; i < members.length; i += MEMBERS_PER_BATCH) {
      const ids = members.slice(i, i + MEMBERS_PER_BATCH).map((m: { id: number }) => m.id);
      const dates = await db
        .selectFrom('logs')
        .select((eb) => ['member_id', 'local_date', eb.fn.sum('words').as('words'), eb.fn.sum('minutes').as('minutes')])
        .where('member_id', 'in', ids)
        .groupBy(['member_id', 'local_date'])
        .execute();
      const reads = await db
        .selectFrom('reads')
        .innerJoin('publications', 'publications.id', 'reads.publication_id')
        .select(['reads.member_id', 'reads.read_at'])
        .where('reads.member_id', 'in', ids)
        .where('publications.group_id', '=', group.id)
        .where('reads.first_hour', '=', 1)
        .execute();
      const totals = countTotals(
        { id: group.id, timezone: group.timezone, weekStart: group.week_start },
        dates.map((d) => ({ memberId: d.member_id, date: d.local_date, words: Number(d.words), minutes: Number(d.minutes) })),
        reads.map((r) => ({ memberId: r.member_id, readAt: Number(r.read_at) })),
      );
      for (let j = 0; j < totals.length; j += ROWS_PER_INSERT) {
        const rows = totals.slice(j, j + ROWS_PER_INSERT).map((t) => ({
          member_id: t.memberId,
          group_id: t.groupId,
          period: t.period,
          words: t.words,
          minutes: t.minutes,
          days: t.days,
          reads: t.reads,
        }));
        await db.insertInto('member_totals').values(rows).execute();
      }
    }
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('members_group_followers').execute();
  await db.schema.dropTable('member_totals').execute();
}
