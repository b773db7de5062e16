import type { Clock } from '../core/clock';
import { plural } from '../core/format';
import type { Actor } from '../core/invocation';
import { UserError } from '../core/user-error';
import type { Group } from '../domain/group';
import { type BucketSize, FULL_BUCKET, isFull, takeToken } from '../domain/token-bucket';

/** Work that costs the bot real time: drawing a picture, fetching a member's page or feed. */
export type ExpensiveWork = 'picture' | 'fetch';

/** How often one member, and one group, may ask for a kind of work. */
export interface WorkLimits {
  member: BucketSize;
  group: BucketSize;
}

export type RateLimitSettings = Readonly<Record<ExpensiveWork, WorkLimits>>;

/**
 * Pictures: a member looks at their calendar and a few others' in a row (5 at once), and nobody reads
 * more than about six a minute (then 1 every 10 s). A group of thirty can all ask at once after a
 * digest; after that one a second per group leaves the drawing to every other group.
 * Fetches: adding a feed or publishing happens a few times a day, and each may hold a connection for
 * the whole fetch timeout, so 3 at once then 1 every 20 s per member, 10 then 1 every 5 s per group.
 */
export const DEFAULT_RATE_LIMITS: RateLimitSettings = {
  picture: { member: { capacity: 5, refillEveryMs: 10_000 }, group: { capacity: 30, refillEveryMs: 1000 } },
  fetch: { member: { capacity: 3, refillEveryMs: 20_000 }, group: { capacity: 10, refillEveryMs: 5000 } },
};

const REFUSALS: Record<ExpensiveWork, { member: string; group: string }> = {
  picture: {
    member: "You're asking for pictures faster than I can draw them",
    group: 'This group is asking for pictures faster than I can draw them',
  },
  fetch: {
    member: "You're asking me to read pages and feeds faster than I fetch them",
    group: 'This group is asking me to read pages and feeds faster than I fetch them',
  },
};

/** Full buckets are forgotten this often, so the maps hold only who asked recently. */
const SWEEP_EVERY_MS = 60_000;

/**
 * Rate limits on expensive work, per member and per group, with token buckets held in memory
 * (each process limits what it does itself). A member's bucket is kept per person in a workspace,
 * so being in several groups does not multiply it. A request takes a token from both buckets or from
 * neither: a member who is refused spends nothing of the group's, so one member cannot drain the
 * group's bucket for the others, and the group's bucket keeps one busy group from slowing the rest.
 */
export class RateLimits {
  /** Each bucket's state by key, least recently used first. */
  private readonly buckets = new Map<string, number>();
  private lastSweepAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly clock: Clock,
    private readonly limits: RateLimitSettings = DEFAULT_RATE_LIMITS,
    /** A hard bound on memory: past it the least recently used bucket is forgotten. */
    private readonly maxBuckets = 20_000,
  ) {}

  /** Takes a token for `work` from the member's and the group's buckets, or refuses with when to try again. */
  take(work: ExpensiveWork, group: Pick<Group, 'id'>, actor: Pick<Actor, 'platform' | 'workspaceId' | 'userId'>): void {
    const now = this.clock.now();
    this.sweep(now);
    const limits = this.limits[work];
    const memberKey = `${work}:member:${actor.platform}:${actor.workspaceId}:${actor.userId}`;
    const groupKey = `${work}:group:${group.id}`;
    // Both outcomes are worked out before either bucket is written: a refusal takes nothing.
    const memberTake = takeToken(limits.member, this.buckets.get(memberKey) ?? FULL_BUCKET, now);
    if (!memberTake.ok) throw refusal(REFUSALS[work].member, memberTake.waitMs);
    const groupTake = takeToken(limits.group, this.buckets.get(groupKey) ?? FULL_BUCKET, now);
    if (!groupTake.ok) throw refusal(REFUSALS[work].group, groupTake.waitMs);
    this.store(groupKey, groupTake.state);
    this.store(memberKey, memberTake.state);
  }

  /** How many buckets are held (the rest are full). */
  get size(): number {
    return this.buckets.size;
  }

  private store(key: string, state: number): void {
    // Re-inserted so the map's order is least recently used first.
    this.buckets.delete(key);
    if (this.buckets.size >= this.maxBuckets) this.buckets.delete(this.buckets.keys().next().value!);
    this.buckets.set(key, state);
  }

  private sweep(now: number): void {
    // Also when the clock went backwards, so a clock set back cannot put off sweeping.
    if (now >= this.lastSweepAt && now - this.lastSweepAt < SWEEP_EVERY_MS) return;
    this.lastSweepAt = now;
    for (const [key, state] of this.buckets) if (isFull(state, now)) this.buckets.delete(key);
  }
}

function refusal(what: string, waitMs: number): UserError {
  return new UserError('rate_limited', `${what}: try again in ${plural(Math.ceil(waitMs / 1000), 'second')}.`);
}
