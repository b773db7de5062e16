import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { channelOption, describeOptions, memberOption } from '../../src/core/options';
import { coerceTextValues, parseTextArgs, tokenize } from '../../src/core/text-args';
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
