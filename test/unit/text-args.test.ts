import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { channelOption, dateOption, describeOptions, memberOption } from '../../src/router/options';
import { coerceTextValues, countInWords, parseTextArgs, readNumber, tokenize } from '../../src/router/text-args';
import { UserError } from '../../src/core/user-error';

const logOptions = describeOptions(
  z.object({
    words: z.number().int().min(1).max(100_000).optional(),
    minutes: z.number().int().min(1).max(1440).optional(),
    url: z.url().optional(),
    note: z.string().max(500).optional(),
    date: z.string().optional(),
  }),
);
const logPositional = ['words', 'minutes', 'url', 'note'];
const parseLog = (line: string) => coerceTextValues(parseTextArgs('log', line, logOptions, logPositional), logOptions);

const sprintOptions = describeOptions(
  z.object({
    action: z.enum(['start', 'chain']),
    value: z.string().optional(),
    minutes: z.number().int().optional(),
    in: z.number().int().optional(),
    gap: z.number().int().optional(),
  }),
);
const parseSprint = (line: string) =>
  coerceTextValues(parseTextArgs('sprint', line, sprintOptions, ['action', 'value', 'in'], { chain: ['action', 'value', 'minutes', 'gap'] }), sprintOptions);

describe('positional orders by the first value', () => {
  it('reads the values after a choice in the order given for it, and in the default order otherwise', () => {
    expect(parseSprint('chain 3 25 5')).toEqual({ action: 'chain', value: '3', minutes: 25, gap: 5 });
    expect(parseSprint('CHAIN 3 25')).toEqual({ action: 'chain', value: '3', minutes: 25 });
    expect(parseSprint('start 30 5')).toEqual({ action: 'start', value: '30', in: 5 });
  });

  it('follows the choice when it is named, and fills only the slots not named', () => {
    expect(parseSprint('action:chain 3 25 5')).toEqual({ action: 'chain', value: '3', minutes: 25, gap: 5 });
    expect(parseSprint('chain 3 minutes:25 5')).toEqual({ action: 'chain', value: '3', minutes: 25, gap: 5 });
    expect(parseSprint('chain 3 25 5 in:10')).toEqual({ action: 'chain', value: '3', minutes: 25, gap: 5, in: 10 });
  });

  it('says which values the chosen order takes when there are too many', () => {
    expect(() => parseSprint('chain 3 25 5 7')).toThrow('Too many values for /sprint: "7". It takes: action, value, minutes, gap.');
    expect(() => parseSprint('start 30 5 7')).toThrow('Too many values for /sprint: "7". It takes: action, value, in.');
  });
});

describe('tokenize', () => {
  it('splits on spaces, keeps quoted text together, and leaves apostrophes inside words alone', () => {
    expect(tokenize(`a  "b c" note:"d e" it's ‘smart quotes’ “too”`).map((t) => t.text)).toEqual([
      'a',
      'b c',
      'note:d e',
      "it's",
      'smart quotes',
      'too',
    ]);
  });

  it('takes an unterminated quote to the end of the line', () => {
    expect(tokenize('note:"never closed').map((t) => t.text)).toEqual(['note:never closed']);
  });
});

describe('parseTextArgs', () => {
  it('fills positional options by type, skipping optional ones a value does not fit', () => {
    expect(parseLog('500 https://medium.com/@me/draft')).toEqual({ words: 500, url: 'https://medium.com/@me/draft' });
    expect(parseLog('500 45')).toEqual({ words: 500, minutes: 45 });
    expect(parseLog('chapter three done')).toEqual({ note: 'chapter three done' });
    expect(parseLog('1,200')).toEqual({ words: 1200 });
  });

  it('mixes name:value pairs with positional values, names in any case', () => {
    expect(parseLog('Words:300 note:"two scenes" 45')).toEqual({ words: 300, minutes: 45, note: 'two scenes' });
    expect(parseLog('note: spaced out')).toEqual({ note: 'spaced out' });
    expect(parseLog('note:finished chapter two words:800')).toEqual({ note: 'finished chapter two', words: 800 });
    expect(parseLog('note:"quoted" 800')).toEqual({ note: 'quoted', words: 800 });
  });

  it('does not read a URL scheme or quoted text as an option name', () => {
    expect(parseLog('http://example.com/a')).toEqual({ url: 'http://example.com/a' });
    expect(parseLog('"colour:blue"')).toEqual({ note: 'colour:blue' });
    expect(() => parseLog('"a quoted note" 500')).toThrow(/Too many values for \/log: "500"/);
  });

  it('refuses unknown options, repeated options and surplus values with the reason', () => {
    expect(() => parseLog('colour:blue')).toThrow(/has no option "colour"/);
    expect(() => parseLog('words:1 words:2')).toThrow(UserError);
    const hourOptions = describeOptions(z.object({ hour: z.number().int().min(0).max(5) }));
    expect(() => parseTextArgs('rollover', '1 2', hourOptions, ['hour'])).toThrow(/Too many values for \/rollover: "2". It takes: hour./);
    expect(() => coerceTextValues(parseTextArgs('rollover', 'soon', hourOptions, ['hour']), hourOptions)).toThrow(
      /Bad value for hour: "soon". Expected a whole number from 0 to 5./,
    );
  });

  it('reports a value that is not one of a choice instead of moving it into free text', () => {
    const options = describeOptions(z.object({ setting: z.enum(['timezone', 'channel']).optional(), value: z.string().optional() }));
    expect(() => coerceTextValues(parseTextArgs('config', 'colour blue', options, ['setting', 'value']), options)).toThrow(
      /Bad value for setting: "colour". Expected one of: timezone, channel./,
    );
    expect(coerceTextValues(parseTextArgs('config', 'CHANNEL #news', options, ['setting', 'value']), options)).toEqual({
      setting: 'channel',
      value: '#news',
    });
  });

  it('describes member and channel options by kind', () => {
    const infos = describeOptions(z.object({ who: memberOption('Who'), where: channelOption('Where').optional() }));
    expect(infos).toMatchObject([
      { name: 'who', type: 'member', required: true, description: 'Who' },
      { name: 'where', type: 'channel', required: false, description: 'Where' },
    ]);
  });
});

describe('reading counts as writers type them', () => {
  const options = describeOptions(
    z.object({
      words: z.number().int().optional(),
      minutes: z.number().int().optional(),
      note: z.string().optional(),
      date: dateOption('When').optional(),
    }),
  );
  const parse = (line: string) => coerceTextValues(parseTextArgs('log', line, options, ['words', 'minutes', 'note']), options);

  it.each([
    ['1,200', 1200],
    ['５００', 500],
    ['1.5k', 1500],
    ['1.1K', 1100],
    ['2k', 2000],
    ['12', 12],
  ])('GIVEN %s THEN reads %d', (text, value) => expect(readNumber(text)).toBe(value));
  it.each(['five', '1e3', '5oo', 'k', '', '1.5m'])('GIVEN %s THEN reads no number', (text) => expect(readNumber(text)).toBeUndefined());

  it('GIVEN a unit stuck to a number, or after it, THEN the number goes to the option the unit names', () => {
    expect(parse('500words')).toEqual({ words: 500 });
    expect(parse('45min')).toEqual({ minutes: 45 });
    expect(parse('500 words')).toEqual({ words: 500 });
    expect(parse('20 min 300 draft')).toEqual({ minutes: 20, words: 300, note: 'draft' });
    expect(parse('500 words on chapter 3')).toEqual({ words: 500, note: 'on chapter 3' });
  });

  it('GIVEN name=value for an option of the command THEN reads it as name:value, and leaves other = alone', () => {
    expect(parse('words=500')).toEqual({ words: 500 });
    expect(parse('300 a=b')).toEqual({ words: 300, note: 'a=b' });
  });

  it('GIVEN a date anywhere THEN it goes to the date option', () => {
    expect(parse('500 yesterday')).toEqual({ words: 500, date: 'yesterday' });
    expect(parse('2026-03-01 500 notes')).toEqual({ words: 500, note: 'notes', date: '2026-03-01' });
    expect(parse('500 "yesterday"')).toEqual({ words: 500, note: 'yesterday' });
  });

  it('GIVEN only a count it cannot read THEN refuses with what it may have meant', () => {
    expect(() => parse('five')).toThrow(/I couldn't read "five" as words: .* Did you mean \/log 5\?/);
    expect(() => parse('1e3')).toThrow(/Did you mean \/log 1000\?/);
    expect(() => parse('5oo')).toThrow(/I couldn't read "5oo" as words/);
    expect(parse('five scenes')).toEqual({ note: 'five scenes' });
    expect(parse('note:five')).toEqual({ note: 'five' });
    expect(countInWords('two thousand five hundred')).toBe(2500);
    expect(countInWords('twenty-five')).toBe(25);
    expect(countInWords('chapter five')).toBeUndefined();
  });
});
