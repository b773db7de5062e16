import { describe, expect, it } from 'vitest';
import { readChatLog } from '../../src/domain/chat-log';

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
