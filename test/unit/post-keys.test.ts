import { describe, expect, it } from 'vitest';
import { discordNonce } from '../../src/adapters/discord/discord-adapter';
import { jobPost } from '../../src/services/job-post';

const job = (id: number, attempts: number) => ({ id, attempts, due_at: Date.parse('2026-03-16T09:00:00Z') });

describe('the key of a scheduled post', () => {
  it('GIVEN the same job on its first and later attempts THEN the key stays the same, and only retries look back from the due time', () => {
    expect(jobPost(job(7, 1))).toEqual({ key: 'job:7' });
    expect(jobPost(job(7, 2))).toEqual({ key: 'job:7', earlierAttemptSince: Date.parse('2026-03-16T09:00:00Z') });
    expect(jobPost(job(7, 5)).key).toBe(jobPost(job(7, 1)).key);
  });

  it('GIVEN two jobs THEN their keys differ', () => {
    expect(jobPost(job(7, 1)).key).not.toBe(jobPost(job(8, 1)).key);
    expect(jobPost(job(70, 1)).key).not.toBe(jobPost(job(7, 1)).key);
  });

  it('GIVEN a key THEN its Discord nonce is the same every time, at most 25 characters, and another key gets another', () => {
    expect(discordNonce('job:7')).toBe(discordNonce('job:7'));
    expect(discordNonce('job:7')).toHaveLength(25);
    expect(discordNonce(`job:${'9'.repeat(200)}`).length).toBeLessThanOrEqual(25);
    expect(discordNonce('job:7')).not.toBe(discordNonce('job:8'));
  });
});
