import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Harness } from '../support/harness';

const admin = { name: 'Ada', admin: true };

async function logRows(h: Harness) {
  return h.db.selectFrom('logs').select(['local_date', 'words', 'minutes', 'url', 'note', 'source']).orderBy('id').execute();
}

describe('/log', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await Harness.create({ now: '2026-03-10T12:00:00Z' });
    await h.send(admin, '/setup timezone:Europe/London');
  });
  afterEach(() => h.close());

  it('logs words and a link given positionally, and joins the member on first log', async () => {
    const reply = await h.send('Bo', '/log 500 https://medium.com/@bo/draft');
    expect(reply).toMatchObject({ visibility: 'channel' });
    expect(reply && reply.text).toBe('Welcome to the group, Bo! ✍️ Bo logged: 500 words and a link today · 🔥 1 day in a row');
    expect(await logRows(h)).toEqual([
      { local_date: '2026-03-10', words: 500, minutes: 0, url: 'https://medium.com/@bo/draft', note: null, source: 'command' },
    ]);
  });

  it('reads named options, quoted text, and a note that soaks up the rest of the line', async () => {
    await h.send('Bo', '/log words:300 minutes:45 note:"chapter two"');
    await h.send('Bo', '/log 200 finished the intro, finally');
    expect(await logRows(h)).toMatchObject([
      { words: 300, minutes: 45, note: 'chapter two' },
      { words: 200, minutes: 0, note: 'finished the intro, finally' },
    ]);
  });

  it('adds a second log to the same day, and the streak counts the day once', async () => {
    await h.send('Bo', '/log 500');
    expect(await h.text('Bo', '/log 250')).toBe('✍️ Bo logged: 250 words today (750 words in all) · 🔥 1 day in a row');
  });

  it('backfills yesterday and a date inside the window, refusing older and future dates with the reason', async () => {
    expect(await h.text('Bo', '/log 100 date:yesterday')).toMatch(/100 words for Mon 9 Mar/);
    expect(await h.text('Bo', '/log 100 date:2026-03-08')).toMatch(/for Sun 8 Mar/);
    expect(await h.text('Bo', '/log 100 date:2026-03-07')).toBe(
      '2026-03-07 is too far back: this group accepts logs back to 2026-03-08 (2 days).',
    );
    expect(await h.text('Bo', '/log 100 date:2026-03-11')).toBe('2026-03-11 is in the future (today is 2026-03-10 for you).');
    expect(await h.text('Bo', '/log 100 date:last-week')).toBe('"last-week" is not a date. Use today, yesterday or YYYY-MM-DD.');
    expect(await h.text('Bo', '/log 100 date:2026-02-30')).toMatch(/"2026-02-30" is not a date/);
    for (const date of ['2026-13-45', '2026-12-32', '2026-00-10', '0000-00-00'])
      expect(await h.text('Bo', `/log 100 date:${date}`)).toBe(`"${date}" is not a date. Use today, yesterday or YYYY-MM-DD.`);
    expect(await h.text('Bo', '/streak')).toMatch(/Current streak: 2 days/);
  });

  it('reads counts as writers type them, and says exactly what each log added', async () => {
    expect(await h.text('Bo', '/log ５００')).toMatch(/logged: 500 words today ·/);
    expect(await h.text('Bo', '/log 500words')).toMatch(/logged: 500 words today \(1,000 words in all\)/);
    expect(await h.text('Bo', '/log words=500')).toMatch(/logged: 500 words today \(1,500 words in all\)/);
    expect(await h.text('Bo', '/log 1.5k')).toMatch(/logged: 1,500 words today \(3,000 words in all\)/);
    expect(await h.text('Bo', '/log 200 words 45min on the intro')).toMatch(/logged: 200 words, 45 min and the note “on the intro” today \(3,200 words and 45 min in all\)/);
    expect(await logRows(h)).toHaveLength(5);
    expect((await logRows(h)).at(-1)).toMatchObject({ words: 200, minutes: 45, note: 'on the intro' });
  });

  it.each([
    ['/log five', 'I couldn\'t read "five" as words: write it in digits, like /log 500. Did you mean /log 5? (To give it as note, write note:"five".)'],
    ['/log two thousand', 'I couldn\'t read "two thousand" as words: write it in digits, like /log 500. Did you mean /log 2000? (To give it as note, write note:"two thousand".)'],
    ['/log 1e3', 'I couldn\'t read "1e3" as words: write it in digits, like /log 500. Did you mean /log 1000? (To give it as note, write note:"1e3".)'],
    ['/log 5oo', 'I couldn\'t read "5oo" as words: write it in digits, like /log 500. (To give it as note, write note:"5oo".)'],
  ])('refuses %s, a count it cannot read, with what it may have meant, and stores nothing', async (line, answer) => {
    expect(await h.text('Bo', line)).toBe(answer);
    expect(await logRows(h)).toEqual([]);
    expect(await h.text('Bo', '/log note:five')).toMatch(/logged: the note “five” today/);
  });

  it('takes a date in any position', async () => {
    expect(await h.text('Bo', '/log 500 yesterday')).toMatch(/logged: 500 words for Mon 9 Mar ·/);
    expect(await h.text('Bo', '/log yesterday 20 min')).toMatch(/logged: 20 min for Mon 9 Mar \(500 words and 20 min in all\)/);
    expect(await logRows(h)).toMatchObject([
      { local_date: '2026-03-09', words: 500, note: null },
      { local_date: '2026-03-09', minutes: 20, note: null },
    ]);
  });

  it('names the day a log before the rollover hour counts for, rather than saying today', async () => {
    await h.send('Bo', '/rollover 3');
    h.at('2026-03-11 01:30', 'Europe/London');
    expect(await h.text('Bo', '/log 300')).toBe('✍️ Bo logged: 300 words for Tue 10 Mar · 🔥 1 day in a row');
    h.at('2026-03-11 09:00', 'Europe/London');
    expect(await h.text('Bo', '/log 100')).toMatch(/logged: 100 words today ·/);
  });

  it('follows the group backfill setting', async () => {
    await h.send(admin, '/config backfill_days 0');
    expect(await h.text('Bo', '/log 100 date:yesterday')).toMatch(/accepts logs only today/);
  });

  it.each([
    ['/log', /Tell me what you wrote/],
    ['/log words:abc', /Bad value for words: "abc". Expected a whole number from 1 to 100,000/],
    ['/log 100001', /Bad value for words: "100001". Expected a whole number from 1 to 100,000/],
    ['/log -5', /Bad value for words: "-5"/],
    ['/log 1.5', /Bad value for words: "1.5"/],
    ['/log minutes:2000', /Bad value for minutes: "2000". Expected a whole number from 1 to 1,440/],
    ['/log url:ftp://example.com/file', /Bad value for url: "ftp:\/\/example.com\/file". Expected an http:\/\/ or https:\/\/ link/],
    ['/log url:not-a-link', /Bad value for url/],
    ['/log note:"x…x" (501 characters)', /note is too long \(501 characters\); the limit is 500/],
    ['/log note:"a\u0007b"', /note contains control characters/],
    ['/log note:"hi\u202Eevil"', /note contains control characters/],
    ['/log colour:blue', /\/log has no option "colour". It takes: words, minutes, url, note, date/],
    ['/log words:1 words:2', /words was given twice/],
    ['/log 999…9 (4,001 characters)', /too long: \/log takes at most 4000 characters/],
  ])('answers %s with one private line naming the problem', async (label, expected) => {
    const line = label
      .replace('/log note:"x…x" (501 characters)', `/log note:"${'x'.repeat(501)}"`)
      .replace('/log 999…9 (4,001 characters)', `/log ${'9'.repeat(4001)}`);
    const reply = await h.send('Bo', line);
    expect(reply).toMatchObject({ visibility: 'private' });
    expect(reply && reply.text).toMatch(expected);
    expect(reply && reply.text.split('\n').length).toBeLessThanOrEqual(2);
    expect(await logRows(h)).toEqual([]);
  });

  it('rejects an unknown command and unknown option values from typed platforms too', async () => {
    expect(await h.text('Bo', '/lgo 500')).toBe("There's no /lgo command. Did you mean /log? Type /help to see them all.");
    expect(await h.text('Bo', '/leader')).toBe("There's no /leader command. Did you mean /leaderboard? Type /help to see them all.");
    expect(await h.text('Bo', '/xyzzy')).toBe("There's no /xyzzy command. Type /help to see them all.");
    const reply = await h.deliver({
      kind: 'command',
      name: 'log',
      args: { values: { words: '12' } },
      actor: h.actor({ name: 'Bo' }),
      conversation: h.conversation({ name: 'Bo' }),
      idempotencyKey: 'typed-1',
    });
    expect(reply && reply.text).toMatch(/Bad value for words: "12". Expected a whole number/);
  });

  it('logs once when the same delivery arrives twice, even concurrently', async () => {
    const [first, second] = await Promise.all([h.send('Bo', '/log 500', 'same-key'), h.send('Bo', '/log 500', 'same-key')]);
    const texts = [first, second].map((r) => r && r.text).sort();
    expect(texts[0]).toBe('Already logged: that one was counted once.');
    expect(await logRows(h)).toHaveLength(1);
    expect(await h.text('Bo', '/log 1', 'same-key')).toMatch(/Already logged/);
    expect(await logRows(h)).toHaveLength(1);
  });

  it('/undo removes the last entry, recounts the streak, and a repeated delivery undoes once', async () => {
    await h.send('Bo', '/log 100 date:yesterday');
    await h.send('Bo', '/log 200');
    expect(await h.text('Bo', '/undo', 'undo-1')).toBe('Removed your log of 200 words on Tue 10 Mar. 🔥 1 day in a row.');
    expect(await h.text('Bo', '/undo', 'undo-1')).toBe('Already undone.');
    expect(await logRows(h)).toMatchObject([{ words: 100 }]);
    await h.send('Bo', '/undo');
    expect(await h.text('Bo', '/undo')).toMatch(/nothing to undo/);
  });

  it('keeps the keys of handled deliveries for a week, then the scheduler forgets them', async () => {
    await h.send('Bo', '/log 100');
    await h.send('Bo', '/undo', 'undo-old');
    const keys = async () => (await h.db.selectFrom('handled_events').select('event_key').execute()).map((r) => r.event_key);
    h.clock.advance(6 * 24 * 3_600_000);
    await h.tick();
    expect(await keys()).toContain('undo-old');
    await h.send('Bo', '/log 100');
    await h.send('Bo', '/undo', 'undo-new');
    h.clock.advance(2 * 24 * 3_600_000);
    await h.tick();
    expect(await keys()).toEqual(['undo-new']);
  });
});
