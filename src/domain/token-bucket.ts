/** How big a token bucket is: `capacity` tokens at once, then one more every `refillEveryMs`. */
export interface BucketSize {
  capacity: number;
  refillEveryMs: number;
}

/**
 * A token bucket's whole state: the instant it will be full again (at or before now: it is full).
 * Kept as one instant rather than a count of tokens, so refills are exact integer arithmetic on
 * milliseconds and a full bucket is recognisable at a glance (it can be forgotten: a new one is the same).
 */
export type BucketState = number;

/** A bucket nobody has taken from: full. */
export const FULL_BUCKET: BucketState = 0;

export type TakeOutcome = { ok: true; state: BucketState } | { ok: false; waitMs: number };

/** Milliseconds of refill the bucket still owes at `now`: 0 when full, at most the whole bucket's worth. */
function owed(size: BucketSize, state: BucketState, now: number): number {
  // Capped so a clock set backwards cannot owe more than an empty bucket does.
  return Math.min(Math.max(0, state - now), size.capacity * size.refillEveryMs);
}

/** Tokens in the bucket at `now`, fractions included. */
export function tokensAt(size: BucketSize, state: BucketState, now: number): number {
  return size.capacity - owed(size, state, now) / size.refillEveryMs;
}

/** How long until the bucket holds a whole token: 0 when one is there now. */
export function waitForToken(size: BucketSize, state: BucketState, now: number): number {
  return Math.max(0, owed(size, state, now) - (size.capacity - 1) * size.refillEveryMs);
}

/** Takes one token at `now`, or says how long until one is free (taking nothing). */
export function takeToken(size: BucketSize, state: BucketState, now: number): TakeOutcome {
  const waitMs = waitForToken(size, state, now);
  if (waitMs > 0) return { ok: false, waitMs };
  return { ok: true, state: now + owed(size, state, now) + size.refillEveryMs };
}

/** A full bucket is the same as none: it need not be kept. */
export function isFull(state: BucketState, now: number): boolean {
  return state <= now;
}
