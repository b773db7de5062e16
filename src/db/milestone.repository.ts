import type { Db } from './database';

/** Records a milestone; true the first time only, so each is announced once. */
export async function recordMilestone(
  db: Db,
  milestone: { memberId: number; groupId: number; kind: string; value: number; periodKey: string },
  now: number,
): Promise<boolean> {
  const row = await db
    .insertInto('milestones')
    .values({
      member_id: milestone.memberId,
      group_id: milestone.groupId,
      kind: milestone.kind,
      value: milestone.value,
      period_key: milestone.periodKey,
      reached_at: now,
    })
    .onConflict((oc) => oc.columns(['member_id', 'kind', 'value', 'period_key']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

export async function listMilestones(db: Db, memberIds: number[]) {
  if (memberIds.length === 0) return [];
  return db.selectFrom('milestones').selectAll().where('member_id', 'in', memberIds).orderBy('id').execute();
}
