import { describe, expect, it } from 'vitest';
import { type ChatLogReading, compileLogPattern, COMPILED_PATTERNS_KEPT, compiledPatternCount, logTriggerFor, MAX_MESSAGE_CHARS, readChatLog } from '../../src/domain/chat-log';

describe('reading chat messages as logs', () => {
  it.each([
    ['+500 words', { kind: 'log', words: 500 }],
    ['+ 1,200 words on the opening chapter', { kind: 'log', words: 1200, note: 'on the opening chapter' }],
    ['#log 45 min edited https://example.com/draft', { kind: 'log', minutes: 45, url: 'https://example.com/draft', note: 'edited' }],
    ['#log 1.5h revising', { kind: 'log', minutes: 90, note: 'revising' }],
    ['Wrote 800 words today', { kind: 'log', words: 800, note: 'today' }],
    ['#LOG finished the outline', { kind: 'log', note: 'finished the outline' }],
  ])('logs %j', (message, expected) => {
    expect(readChatLog(message, null)).toEqual(expected);
  });

  it.each(['hello everyone', 'I wrote a lot of words', 'email me at x+500words@example.com', 'the #log channel is great'])(
    'ignores ordinary chat: %j',
    (message) => {
      expect(readChatLog(message, null)).toEqual({ kind: 'not-a-log' });
    },
  );

  it('explains a triggered message it cannot read', () => {
    expect(readChatLog('#log', null)).toMatchObject({ kind: 'unreadable', reason: expect.stringMatching(/no word count/) });
    expect(readChatLog('+200000 words', null)).toMatchObject({ kind: 'unreadable', reason: expect.stringMatching(/1 to 100,000/) });
  });

  it("uses a group's own trigger instead of the default", () => {
    expect(readChatLog('done: 300 words', '^done:')).toEqual({ kind: 'log', words: 300 });
    expect(readChatLog('+300 words', '^done:')).toEqual({ kind: 'not-a-log' });
  });
});

const LONG = 100_000;

/** `length` characters of `unit` repeated, then `end`: the shape of line that makes a pattern backtrack. */
const line = (unit: string, end = '') => (length: number) => unit.repeat(Math.floor((length - end.length) / unit.length)) + end;

/**
 * Patterns that take a backtracking engine exponential (or high polynomial) time, each with the line that
 * makes it backtrack most, whether RE2 finds a match in it, and how such a chat message reads.
 * JavaScript's own engine would not finish one of them.
 */
const WORST: [pattern: string, worstLine: (length: number) => string, matches: boolean, reading: ChatLogReading['kind']][] = [
  ['(a+)+$', line('a', '!'), false, 'not-a-log'],
  ['(a|a)*b', line('a'), false, 'not-a-log'],
  ['(a*)*b', line('a'), false, 'not-a-log'],
  ['(x+x+)+y', line('x'), false, 'not-a-log'],
  // The trigger takes the whole message and leaves nothing to read, or only the "!".
  ['(.*a){25}', line('a'), true, 'unreadable'],
  ['(.*a){25}', line('a', '!'), true, 'log'],
  ['^(([a-z])+.)+[A-Z]([a-z])+$', line('a', '!'), false, 'not-a-log'],
  ['(a|aa)+$', line('a', '!'), false, 'not-a-log'],
  ['((a+)+)+b', line('a'), false, 'not-a-log'],
  ['(\\w+\\s?)+$', line('ab ', '!'), false, 'not-a-log'],
  ['([a-z]+)*[0-9]', line('a'), false, 'not-a-log'],
  ['(.*?,){40}z', line(','), false, 'not-a-log'],
  ['(a?){40}a{40}', line('a'), true, 'log'],
  ['(?:a+|b)*c', line('ab'), false, 'not-a-log'],
  ['(\\d+|\\w+)*!x', line('1a', '!'), false, 'not-a-log'],
];

describe('group patterns on RE2', () => {
  // RE2 matches in time linear in the text. The deadline is generous, for a busy machine: it only tells
  // linear time from backtracking, which on these lines would run for longer than anyone waits (on a
  // line of 30 characters "(a+)+$" already keeps JavaScript busy for many seconds). The bench reports the real figures.
  it('GIVEN the worst backtracking patterns and a 100,000-character line THEN every answer comes back promptly', { timeout: 60_000 }, () => {
    const lines = WORST.map(([, worstLine]) => worstLine(LONG));
    const started = performance.now();
    const answers = WORST.map(([pattern], i) => {
      const trigger = compileLogPattern(pattern);
      if (typeof trigger === 'string') throw new Error(`${pattern} was refused: ${trigger}`);
      return trigger.find(lines[i]!) !== null;
    });
    const elapsed = performance.now() - started;
    expect(answers).toEqual(WORST.map(([, , matches]) => matches));
    expect(elapsed).toBeLessThan(15_000);
  });

  it('GIVEN the worst patterns THEN a 100,000-character chat message is read promptly, as its first 4,000 characters', { timeout: 60_000 }, () => {
    const messages = WORST.map(([, worstLine]) => worstLine(MAX_MESSAGE_CHARS) + worstLine(LONG - MAX_MESSAGE_CHARS));
    const started = performance.now();
    const readings = WORST.map(([pattern], i) => readChatLog(messages[i]!, pattern).kind);
    const elapsed = performance.now() - started;
    expect(readings).toEqual(WORST.map(([, , , reading]) => reading));
    expect(elapsed).toBeLessThan(15_000);
  });

  it('GIVEN a match after characters outside the BMP THEN the trigger is cut out where it is', () => {
    expect(readChatLog('😀😀 done: 20 min', 'done:')).toEqual({ kind: 'log', minutes: 20, note: '😀😀' });
    expect(logTriggerFor('done:').find('😀😀 DONE: 20 min')).toEqual({ index: 5, text: 'DONE:' });
  });

  it('GIVEN a group pattern THEN it matches case-insensitively, as before', () => {
    expect(readChatLog('DONE: 300 words', '^done:')).toEqual({ kind: 'log', words: 300 });
  });

  it.each([
    ['(?=done)done:', /uses a look-ahead "\(\?="/],
    ['(?!x)done:', /uses a look-ahead "\(\?!"/],
    ['(?<=^)done:', /uses a look-behind "\(\?<="/],
    ['(?<!x)done:', /uses a look-behind "\(\?<!"/],
    ['(done):\\1', /uses a backreference "\\1"/],
    ['(?<d>done)\\k<d>', /uses a backreference "\\k"/],
    ['(?>done):', /uses an atomic group/],
    ['done:\\s*+', /uses a possessive quantifier "\*\+"/],
  ])('GIVEN %j THEN it is refused, naming what RE2 cannot run', (pattern, reason) => {
    const refused = compileLogPattern(pattern);
    expect(refused).toMatch(reason);
    expect(refused).toMatch(/log patterns must run in linear time, so look-arounds, backreferences/);
  });

  it.each([
    ['(unclosed', /^it is not a valid regular expression in RE2 syntax \(missing closing \)\)$/],
    ['\\u00e9', /^it is not a valid regular expression in RE2 syntax \(invalid escape sequence "\\u"\)$/],
    ['a{1001}', /invalid repeat count "\{1001\}"/],
    ['(a?){50}a{50}', /^it is too large to match quickly \(252 instructions once compiled, at most 250;/],
    ['x'.repeat(201), /^the pattern is longer than 200 characters$/],
  ])('GIVEN %j THEN it is refused with a one-line reason', (pattern, reason) => {
    const refused = compileLogPattern(pattern);
    expect(refused).toMatch(reason);
    expect(refused).not.toMatch(/\n/);
  });

  it('GIVEN a plain list of words in 200 characters THEN it is accepted', () => {
    const words = ['done', 'finished', 'wrote', 'progress', 'update', 'today', 'fertig', 'geschrieben', 'fini', 'escrito', 'terminado', 'scritto', 'klaar', 'skrivit', 'napisane', 'valmis', 'bitti', 'gotowe'];
    const pattern = `^\\s*(?:${words.join('|')})\\b\\s*[:=-]?\\s*\\d{1,6}\\s*(?:words?|w|mots|palabras)?`;
    expect(pattern.length).toBeLessThanOrEqual(200);
    expect(typeof compileLogPattern(pattern)).toBe('object');
    expect(readChatLog('Fertig: 700 words', pattern)).toEqual({ kind: 'log', words: 700 });
  });

  it('GIVEN a stored pattern RE2 cannot run THEN messages are read with the default trigger', () => {
    expect(readChatLog('+500 words', '(?=done)done:')).toEqual({ kind: 'log', words: 500 });
    expect(readChatLog('done: 300 words', '(?=done)done:')).toEqual({ kind: 'not-a-log' });
    expect(readChatLog('+500 words', '(a?){50}a{50}')).toEqual({ kind: 'log', words: 500 });
  });

  it('GIVEN more distinct patterns than the cache holds THEN only the most recent stay compiled', () => {
    for (let i = 0; i < 600; i++) expect(readChatLog(`p${i}: 10 words`, `^p${i}:`)).toEqual({ kind: 'log', words: 10 });
    expect(compiledPatternCount()).toBe(COMPILED_PATTERNS_KEPT);
  });
});
