/**
 * The milestones worth a post among those one change reached for the first time: only the highest,
 * so a jump across several (a big follower report, a backfill that joins two runs) is cheered once.
 * The others are still recorded as reached, so none of them is cheered later either.
 */
export function highestOf(reached: readonly number[]): number[] {
  return reached.length ? [Math.max(...reached)] : [];
}

/** A milestone a member reached: a streak length, or a follower count on a platform ('followers:<platform>'). */
export interface ReachedMilestone {
  memberId: number;
  memberName: string;
  /** Hidden members reach milestones too; digests leave them out. */
  memberHidden: boolean;
  kind: string;
  value: number;
}
