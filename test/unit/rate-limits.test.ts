import { describe, expect, it } from 'vitest';
import { FakeClock } from '../fakes/fake-clock';
import { UserError } from '../../src/core/user-error';
import { RateLimits, type RateLimitSettings } from '../../src/services/rate-limits';

describe('rate limits', () => {
  const limits: RateLimitSettings = {
    picture: { member: { capacity: 2, refillEveryMs: 10_000 }, group: { capacity: 3, refillEveryMs: 1000 } },
    fetch: { member: { capacity: 1, refillEveryMs: 20_000 }, group: { capacity: 1, refillEveryMs: 5000 } },
  };
  const person = (userId: string, workspaceId = 'w1') => ({ platform: 'console' as const, workspaceId, userId });
  const refusal = (take: () => void): string => {
    try {
      take();
    } catch (error) {
      if (error instanceof UserError && error.code === 'rate_limited') return error.message;
      throw error;
    }
    throw new Error('not refused');
  };

  it("GIVEN a member refused many times THEN the group's tokens are left for the others", () => {
    const clock = new FakeClock(0);
    const rateLimits = new RateLimits(clock, limits);
    const group = { id: 1 };
    rateLimits.take('picture', group, person('ana'));
    rateLimits.take('picture', group, person('ana'));
    for (let i = 0; i < 100; i++)
      expect(refusal(() => rateLimits.take('picture', group, person('ana')))).toBe("You're asking for pictures faster than I can draw them: try again in 10 seconds.");
    // The group's bucket of three still has one left, for Bea.
    rateLimits.take('picture', group, person('bea'));
    expect(refusal(() => rateLimits.take('picture', group, person('cy')))).toBe('This group is asking for pictures faster than I can draw them: try again in 1 second.');
  });

  it("GIVEN a group refusal THEN the member's own token is not spent", () => {
    const clock = new FakeClock(0);
    const rateLimits = new RateLimits(clock, limits);
    rateLimits.take('fetch', { id: 1 }, person('ana'));
    expect(refusal(() => rateLimits.take('fetch', { id: 1 }, person('bea')))).toBe(
      'This group is asking me to read pages and feeds faster than I fetch them: try again in 5 seconds.',
    );
    clock.advance(5000);
    // Bea's bucket was not touched by the refusal, so she is served as soon as the group's refills.
    rateLimits.take('fetch', { id: 1 }, person('bea'));
  });

  it('GIVEN pictures used up THEN fetches, other groups and other workspaces are limited apart', () => {
    const clock = new FakeClock(0);
    const rateLimits = new RateLimits(clock, limits);
    rateLimits.take('picture', { id: 1 }, person('ana'));
    rateLimits.take('picture', { id: 1 }, person('ana'));
    expect(refusal(() => rateLimits.take('picture', { id: 2 }, person('ana')))).toMatch(/^You're asking for pictures/);
    rateLimits.take('fetch', { id: 1 }, person('ana'));
    rateLimits.take('picture', { id: 3 }, person('ana', 'w2'));
  });

  it('GIVEN a flood of distinct people THEN the buckets held stay bounded, and idle full ones are forgotten', () => {
    const clock = new FakeClock(0);
    const rateLimits = new RateLimits(clock, limits, 1000);
    let largest = 0;
    for (let i = 0; i < 50_000; i++) {
      clock.advance(1);
      rateLimits.take('fetch', { id: i }, person(`u${i}`));
      largest = Math.max(largest, rateLimits.size);
    }
    expect(largest).toBe(1000);
    // Once everyone's bucket has refilled, the next request sweeps them all away.
    clock.advance(60_000);
    rateLimits.take('picture', { id: 1 }, person('ana'));
    expect(rateLimits.size).toBe(2);
  });

  it('GIVEN buckets that refill within a minute THEN they are swept without reaching the bound', () => {
    const clock = new FakeClock(0);
    const rateLimits = new RateLimits(clock, limits, 100_000);
    let largest = 0;
    for (let i = 0; i < 20_000; i++) {
      clock.advance(10);
      rateLimits.take('fetch', { id: i }, person(`u${i}`));
      largest = Math.max(largest, rateLimits.size);
    }
    // A member's fetch bucket refills in 20 s and a sweep runs every minute: at most 80 s of arrivals, two buckets each.
    expect(largest).toBeLessThanOrEqual(2 * 8000);
    expect(largest).toBeGreaterThan(0);
  });
});
