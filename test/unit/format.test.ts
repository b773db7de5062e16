import { describe, expect, it } from 'vitest';
import { shortList } from '../../src/core/format';

describe('short lists', () => {
  const upper = (s: string) => s.toUpperCase();

  it('shows every item up to the limit', () => {
    expect(shortList([], upper, 2)).toBe('');
    expect(shortList(['a'], upper, 2)).toBe('A');
    expect(shortList(['a', 'b'], upper, 2)).toBe('A, B');
  });

  it('past the limit, counts the rest without rendering them', () => {
    const rendered: string[] = [];
    const render = (s: string) => (rendered.push(s), upper(s));
    expect(shortList(['a', 'b', 'c'], render, 2)).toBe('A, B and 1 other');
    expect(shortList(['a', 'b', 'c', 'd'], render, 2)).toBe('A, B and 2 others');
    expect(rendered).toEqual(['a', 'b', 'a', 'b']);
  });
});
