import { describe, expect, it } from 'vitest';
import { LruCache } from '../../src/domain/lru-cache';

describe('a cache of bounded size', () => {
  it('GIVEN more keys than it holds THEN it keeps only the most recent', () => {
    const cache = new LruCache<number>(3);
    for (let i = 1; i <= 5; i++) cache.set(`k${i}`, i);
    expect(cache.size).toBe(3);
    expect([1, 2, 3, 4, 5].map((i) => cache.get(`k${i}`))).toEqual([undefined, undefined, 3, 4, 5]);
  });

  it('GIVEN a key read again THEN it is the last to be dropped', () => {
    const cache = new LruCache<number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    expect(cache.get('a')).toBe(1);
    cache.set('c', 3);
    expect(cache.has('a')).toBe(true);
    expect(cache.has('b')).toBe(false);
    expect(cache.has('c')).toBe(true);
  });

  it('GIVEN a key set again THEN it is replaced, not counted twice', () => {
    const cache = new LruCache<number>(2);
    cache.set('a', 1);
    cache.set('a', 2);
    cache.set('b', 3);
    expect(cache.size).toBe(2);
    expect(cache.get('a')).toBe(2);
  });
});
