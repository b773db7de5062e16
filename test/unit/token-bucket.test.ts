import { describe, expect, it } from 'vitest';
import { type BucketSize, type BucketState, FULL_BUCKET, isFull, takeToken, tokensAt, waitForToken } from '../../src/domain/token-bucket';

const FIVE_EVERY_10S: BucketSize = { capacity: 5, refillEveryMs: 10_000 };

/** Takes `n` tokens at `now`, failing the test if any is refused. */
function takeMany(size: BucketSize, state: BucketState, now: number, n: number): BucketState {
  for (let i = 0; i < n; i++) {
    const outcome = takeToken(size, state, now);
    if (!outcome.ok) throw new Error(`token ${i + 1} refused`);
    state = outcome.state;
  }
  return state;
}

describe('token bucket', () => {
  it('GIVEN a new bucket THEN it is full and gives its whole capacity at once, then refuses', () => {
    expect(tokensAt(FIVE_EVERY_10S, FULL_BUCKET, 1000)).toBe(5);
    const state = takeMany(FIVE_EVERY_10S, FULL_BUCKET, 1000, 5);
    expect(tokensAt(FIVE_EVERY_10S, state, 1000)).toBe(0);
    expect(takeToken(FIVE_EVERY_10S, state, 1000)).toEqual({ ok: false, waitMs: 10_000 });
  });

  it('GIVEN an empty bucket THEN the wait shrinks as time passes and one token comes back per refill interval', () => {
    const state = takeMany(FIVE_EVERY_10S, FULL_BUCKET, 0, 5);
    expect(waitForToken(FIVE_EVERY_10S, state, 2500)).toBe(7500);
    expect(tokensAt(FIVE_EVERY_10S, state, 2500)).toBe(0.25);
    expect(waitForToken(FIVE_EVERY_10S, state, 9999)).toBe(1);
    expect(waitForToken(FIVE_EVERY_10S, state, 10_000)).toBe(0);
    const next = takeToken(FIVE_EVERY_10S, state, 10_000);
    expect(next.ok).toBe(true);
    // Exactly one came back: the next one is a whole interval away.
    if (next.ok) expect(waitForToken(FIVE_EVERY_10S, next.state, 10_000)).toBe(10_000);
  });

  it('GIVEN a long idle time THEN the bucket refills to its capacity and no further', () => {
    const state = takeMany(FIVE_EVERY_10S, FULL_BUCKET, 0, 5);
    expect(tokensAt(FIVE_EVERY_10S, state, 30_000)).toBe(3);
    expect(isFull(state, 49_999)).toBe(false);
    expect(isFull(state, 50_000)).toBe(true);
    expect(tokensAt(FIVE_EVERY_10S, state, 10 * 60_000)).toBe(5);
    const again = takeMany(FIVE_EVERY_10S, state, 10 * 60_000, 5);
    expect(takeToken(FIVE_EVERY_10S, again, 10 * 60_000)).toEqual({ ok: false, waitMs: 10_000 });
  });

  it('GIVEN a refusal THEN it takes nothing: the wait is the same when asked again', () => {
    const state = takeMany(FIVE_EVERY_10S, FULL_BUCKET, 0, 5);
    for (let i = 0; i < 100; i++) expect(takeToken(FIVE_EVERY_10S, state, 4000)).toEqual({ ok: false, waitMs: 6000 });
  });

  it('GIVEN a clock set backwards THEN the wait is never longer than an empty bucket refilling one token', () => {
    const state = takeMany(FIVE_EVERY_10S, FULL_BUCKET, 1_000_000, 5);
    expect(waitForToken(FIVE_EVERY_10S, state, 0)).toBe(10_000);
  });

  it('GIVEN a bucket of one THEN it gives one token per interval', () => {
    const one: BucketSize = { capacity: 1, refillEveryMs: 1000 };
    const state = takeMany(one, FULL_BUCKET, 0, 1);
    expect(takeToken(one, state, 999)).toEqual({ ok: false, waitMs: 1 });
    expect(takeToken(one, state, 1000).ok).toBe(true);
  });
});
