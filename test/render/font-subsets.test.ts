import { Resvg } from '@resvg/resvg-js';
import { existsSync } from 'node:fs';
import pixelmatch from 'pixelmatch';
import { PNG } from 'pngjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { inLatinSubset, LATIN_CHARACTERS } from '../../src/render/font-subsets';
import { FONT_FAMILY, fontFilesFor, useLatinInter } from '../../src/render/fonts';
import { escapeXml } from '../../src/render/svg';

/** Lines of text in both of Inter's weights, as the pictures set them. */
function textSvg(lines: string[]): string {
  const rows = lines.map((line, i) => `<text x="8" y="${24 + i * 22}" font-size="15" font-weight="${i % 2 ? 600 : 400}">${escapeXml(line)}</text>`);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="900" height="${24 + lines.length * 22}" font-family="${FONT_FAMILY}"><rect width="100%" height="100%" fill="#fff"/>${rows.join('')}</svg>`;
}

function draw(svg: string, fontFiles: string[]): PNG {
  const png = new Resvg(svg, { font: { fontFiles, loadSystemFonts: false, defaultFontFamily: FONT_FAMILY }, fitTo: { mode: 'zoom', value: 2 } }).render().asPng();
  return PNG.sync.read(Buffer.from(png));
}

describe("Inter's Latin cut", () => {
  const wholeInter = fontFilesFor('<svg/>');
  beforeAll(() => useLatinInter());

  it('is what a picture of Latin text is drawn with, and whole Inter is for text it lacks', () => {
    const latin = fontFilesFor(textSvg(['Åsa Ørsted wrote 1,234 words – “well done”…']));
    expect(latin).toHaveLength(2);
    expect(latin.every((file) => existsSync(file) && !wholeInter.includes(file))).toBe(true);
    expect(fontFilesFor(textSvg(['Жанна Иванова']))).toEqual(wholeInter);
    expect(fontFilesFor(textSvg(['Ζωή']))).toEqual(wholeInter);
    // A script Inter lacks brings its fallback face, and still the cut: Inter has nothing more for it.
    const chinese = fontFilesFor(textSvg(['Bo 王小明']));
    expect(chinese.slice(0, 2)).toEqual(latin);
    expect(chinese.some((file) => file.includes('noto-sans-sc'))).toBe(true);
  });

  it('draws every character it holds exactly as whole Inter does, in both weights', () => {
    const characters = [...LATIN_CHARACTERS];
    const lines = Array.from({ length: Math.ceil(characters.length / 40) }, (_, i) => characters.slice(i * 40, i * 40 + 40).join(' '));
    // Words too, so pairs that kern and sequences with contextual forms are set as in the whole face.
    const words = ['AVATAR Tolkien Yvonne WAVY LT Ty Vo', 'Week of Jun 22 -> 1,234 words (+12) 3:45 x*y [ok] fi fl ff', 'Zoë Ångström “quoted” – ‘single’ … #1 @home 50% €9.99'];
    const svg = textSvg([...lines, ...words, ...lines, ...words]);
    const cut = draw(svg, fontFilesFor(svg));
    const whole = draw(svg, wholeInter);
    expect(fontFilesFor(svg)).not.toEqual(wholeInter);
    expect(pixelmatch(cut.data, whole.data, undefined, cut.width, cut.height, { threshold: 0 })).toBe(0);
  });

  it('holds only what it says', () => {
    expect(inLatinSubset('Ünïcödé, naïve – 12€')).toBe(true);
    expect(inLatinSubset('Жанна')).toBe(false);
    expect(inLatinSubset('→')).toBe(false);
  });
});
