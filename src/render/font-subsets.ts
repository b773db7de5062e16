import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The characters of most names, labels and numbers: Latin with its accents (Latin-1 and Extended-A)
 * and the punctuation the pictures use.
 */
export const LATIN_CHARACTERS = (() => {
  let text = '';
  for (let c = 0x20; c <= 0x7e; c++) text += String.fromCodePoint(c);
  // Not ŉ (U+0149, deprecated): Inter draws it as two glyphs, one of them outside the cut.
  for (let c = 0xa0; c <= 0x17f; c++) if (c !== 0x149) text += String.fromCodePoint(c);
  return text + '‘’‚“”„•…‹›–—−€™·';
})();

const LATIN = new Set(LATIN_CHARACTERS);

/**
 * The typographic family and style names (ids 16 and 17) kept too: they make a SemiBold face weight
 * 600 of "Inter", not a family of its own. Only the layout features a shaper applies by default are
 * kept (the pictures ask for no others), and no hinting (resvg does not hint): the cut is half the
 * size, and resvg reads the whole file for every glyph it sets.
 */
const SUBSET_OPTIONS = {
  targetFormat: 'truetype',
  preserveNameIds: [16, 17],
  keepFeatures: ['ccmp', 'locl', 'mark', 'mkmk', 'kern', 'liga', 'clig', 'calt', 'rlig', 'rvrn'],
  noHinting: true,
} as const;

/** Whether every character of a text is one the Latin cut holds. */
export function inLatinSubset(text: string): boolean {
  for (const ch of text) if (!LATIN.has(ch) && ch !== '\n' && ch !== '\t' && ch !== '\r') return false;
  return true;
}

/**
 * A font cut down to the Latin characters, kept as a file (resvg 2.6 reads fonts only from files) in
 * the system's temporary directory under a name that is the hash of the source and the characters:
 * made once per machine, then found. Drawing a line of text costs in proportion to the size of the
 * face's layout tables, so the cut draws text several times faster than the whole face.
 */
export async function latinSubsetOf(fontFile: string): Promise<string> {
  const source = readFileSync(fontFile);
  const hash = createHash('sha256').update(source).update(LATIN_CHARACTERS).update(JSON.stringify(SUBSET_OPTIONS)).digest('hex').slice(0, 20);
  const dir = join(tmpdir(), 'inkwell-fonts');
  const path = join(dir, `${hash}.ttf`);
  if (existsSync(path)) return path;
  // Loaded only to make the cut: subset-font brings WebAssembly (harfbuzz, woff2) of about 15 MB that a
  // thread which finds the file never needs.
  const { default: subsetFont } = await import('subset-font');
  // @types/subset-font (2.3) lacks keepFeatures and noHinting, which subset-font 2.9 takes.
  const cut = subsetFont as (font: Buffer, text: string, options: Parameters<typeof subsetFont>[2] & { keepFeatures: string[]; noHinting: boolean }) => Promise<Buffer>;
  const subset = await cut(source, LATIN_CHARACTERS, { ...SUBSET_OPTIONS, preserveNameIds: [...SUBSET_OPTIONS.preserveNameIds], keepFeatures: [...SUBSET_OPTIONS.keepFeatures] });
  mkdirSync(dir, { recursive: true });
  // Written aside and renamed, so a thread or process that finds the file finds all of it.
  const partial = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}`;
  writeFileSync(partial, subset);
  renameSync(partial, path);
  return path;
}
