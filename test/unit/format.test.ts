import { describe, expect, it } from 'vitest';
import { closest, NAMES_SHOWN, shortList } from '../../src/core/format';

describe('short lists', () => {
  const names = (n: number) => Array.from({ length: n }, (_, i) => `m${i + 1}`);
  const upper = (s: string) => s.toUpperCase();

  it('shows every item up to the limit', () => {
    expect(shortList([], upper)).toBe('');
    expect(shortList(['a'], upper)).toBe('A');
    expect(shortList(names(NAMES_SHOWN), upper)).toBe('M1, M2, M3, M4, M5, M6, M7, M8, M9, M10');
  });

  it('past the limit, counts the rest without rendering them', () => {
    const rendered: string[] = [];
    const render = (s: string) => (rendered.push(s), upper(s));
    expect(shortList(names(NAMES_SHOWN + 1), render)).toBe('M1, M2, M3, M4, M5, M6, M7, M8, M9, M10 and 1 other');
    expect(rendered).toEqual(names(NAMES_SHOWN));
  });

  it('counts items it was not given, when told how many there are', () => {
    expect(shortList(['a', 'b'], upper, 5)).toBe('A, B and 3 others');
    expect(shortList(names(12), upper, 4_000)).toBe('M1, M2, M3, M4, M5, M6, M7, M8, M9, M10 and 3,990 others');
  });
});

describe('the closest name', () => {
  const names = ['log', 'undo', 'streak', 'stats', 'publish', 'reads', 'readers', 'leaderboard', 'help'];
  it.each([
    ['lgo', 'log'],
    ['og', 'log'],
    ['strak', 'streak'],
    ['leader', 'leaderboard'],
    ['PUBLSH', 'publish'],
    ['reder', 'readers'],
  ])('GIVEN %s THEN suggests %s', (typed, meant) => expect(closest(typed, names)).toBe(meant));
  it.each(['xyzzy', 'q', 'config'])('GIVEN %s THEN suggests nothing', (typed) => expect(closest(typed, names)).toBeUndefined());
});
