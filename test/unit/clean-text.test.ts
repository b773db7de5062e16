import { describe, expect, it } from 'vitest';
import { cleanText, hasControlCharacters } from '../../src/core/clean-text';

const C0 = Array.from({ length: 0x20 }, (_, i) => String.fromCharCode(i));
const C1 = Array.from({ length: 0x21 }, (_, i) => String.fromCharCode(0x7f + i));
const DIRECTION = ['\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069'];

describe('cleaning text from outside', () => {
  it('removes every C0 and C1 control and every direction override, embedding and isolate', () => {
    for (const c of [...C0, ...C1, ...DIRECTION]) expect(cleanText(`Bo${c}Bard`).replace(' ', ''), JSON.stringify(c)).toBe('BoBard');
  });

  it('turns tabs and line breaks of a one-line field into spaces', () => {
    expect(cleanText('Why\tI\nWrite\r\nEvery\rDay\u2028Now')).toBe('Why I Write Every Day Now');
  });

  it('keeps the line breaks of multi-line text, as line feeds, and still removes the rest', () => {
    expect(cleanText('+500 words\r\non\tchapter\u0007 3\u202e\nand more\r', { multiline: true })).toBe('+500 words\non chapter 3\nand more\n');
  });

  it('removes lone surrogates and the non-characters U+FFFE and U+FFFF, and keeps emoji and every script', () => {
    expect(cleanText('a\ud800b\udfffc\ufffe\uffffd')).toBe('abcd');
    expect(cleanText('Zoë 🖋️ 山田 عائشة')).toBe('Zoë 🖋️ 山田 عائشة');
  });

  it('tells typed text with such characters from plain text', () => {
    expect(hasControlCharacters('chapter\u0007 3')).toBe(true);
    expect(hasControlCharacters('evil\u202egnp.exe')).toBe(true);
    expect(hasControlCharacters('Zoë 🖋️ chapter 3')).toBe(false);
  });
});
