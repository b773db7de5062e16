import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { inLatinSubset, latinSubsetOf } from './font-subsets';

const require = createRequire(import.meta.url);
const shipped = (path: string) => require.resolve(`@expo-google-fonts/${path}`);

/** Latin, Cyrillic and Greek: every picture's own face. */
export const FONT_FAMILY = 'Inter';
const INTER = { 400: shipped('inter/400Regular/Inter_400Regular.ttf'), 600: shipped('inter/600SemiBold/Inter_600SemiBold.ttf') };

export interface FallbackFont {
  family: string;
  /** The characters this face is loaded for. */
  script: RegExp;
  files: string[];
}

/**
 * Faces for the scripts Inter lacks. resvg reads every font file it is given on every render (and the CJK
 * face is 10 MB), so a picture is given only the faces its own text needs.
 */
export const FALLBACK_FONTS: FallbackFont[] = [
  {
    family: 'Noto Sans Arabic',
    script: /[\u0600-\u06FF\u0750-\u077F\u0870-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]/u,
    files: [shipped('noto-sans-arabic/400Regular/NotoSansArabic_400Regular.ttf'), shipped('noto-sans-arabic/600SemiBold/NotoSansArabic_600SemiBold.ttf')],
  },
  {
    family: 'Noto Sans Hebrew',
    script: /[\u0590-\u05FF\uFB1D-\uFB4F]/u,
    files: [shipped('noto-sans-hebrew/400Regular/NotoSansHebrew_400Regular.ttf'), shipped('noto-sans-hebrew/600SemiBold/NotoSansHebrew_600SemiBold.ttf')],
  },
  {
    family: 'Noto Sans Devanagari',
    script: /[\u0900-\u097F\uA8E0-\uA8FF]/u,
    files: [shipped('noto-sans-devanagari/400Regular/NotoSansDevanagari_400Regular.ttf'), shipped('noto-sans-devanagari/600SemiBold/NotoSansDevanagari_600SemiBold.ttf')],
  },
  {
    // Simplified Chinese, with kana and the common kanji: one face (regular only, for its size) draws Chinese and Japanese names.
    family: 'Noto Sans SC',
    script: /[\u2E80-\u2FDF\u3000-\u30FF\u3100-\u31FF\u3400-\u4DBF\u4E00-\u9FFF\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFFEF\u{20000}-\u{3FFFF}]/u,
    files: [shipped('noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf')],
  },
  {
    // Monochrome: resvg 2.6 draws no colour glyphs.
    family: 'Noto Emoji',
    script: /[\u2190-\u2BFF\u{1F000}-\u{1FAFF}]/u,
    files: [shipped('noto-emoji/400Regular/NotoEmoji_400Regular.ttf')],
  },
];

/** Inter cut down to Latin (font-subsets.ts), once `useLatinInter` has made it: it draws text several times faster. */
let latinInter: string[] | undefined;

/** Makes the Latin cut of Inter's faces, or finds it made; pictures drawn after it use it where their text allows. */
export async function useLatinInter(): Promise<void> {
  latinInter ??= await Promise.all([latinSubsetOf(INTER[400]), latinSubsetOf(INTER[600])]);
}

/** Whether a picture's text holds a character whole Inter draws and its Latin cut lacks (Cyrillic, Greek, arrows). */
function needsWholeInter(svg: string): boolean {
  for (const ch of svg) if (!inLatinSubset(ch) && metricsOf(400).advance(ch.codePointAt(0)!) !== undefined) return true;
  return false;
}

/** The font files a picture needs: Inter (its Latin cut when that holds the text), and the fallback faces of the scripts in its text. */
export function fontFilesFor(svg: string): string[] {
  const inter = latinInter && !needsWholeInter(svg) ? latinInter : [INTER[400], INTER[600]];
  return [...inter, ...FALLBACK_FONTS.filter((f) => f.script.test(svg)).flatMap((f) => f.files)];
}

interface Metrics {
  unitsPerEm: number;
  advance: (codePoint: number) => number | undefined;
}

/** Inter's advance widths, read once per process, so labels can be measured before they are drawn. */
function readMetrics(path: string): Metrics {
  const font = readFileSync(path);
  const tables = new Map<string, number>();
  for (let i = 0; i < font.readUInt16BE(4); i++) tables.set(font.toString('latin1', 12 + i * 16, 16 + i * 16), font.readUInt32BE(20 + i * 16));
  const table = (tag: string) => tables.get(tag) ?? 0;
  const unitsPerEm = font.readUInt16BE(table('head') + 18);
  const metricCount = font.readUInt16BE(table('hhea') + 34);
  const glyphs = new Map<number, number>();
  const cmap = table('cmap');
  for (let i = 0; i < font.readUInt16BE(cmap + 2); i++) {
    const sub = cmap + font.readUInt32BE(cmap + 8 + i * 8);
    if (font.readUInt16BE(sub) !== 4) continue;
    const segments = font.readUInt16BE(sub + 6) / 2;
    const ends = sub + 14;
    const starts = ends + segments * 2 + 2;
    const deltas = starts + segments * 2;
    const offsets = deltas + segments * 2;
    for (let s = 0; s < segments; s++) {
      const start = font.readUInt16BE(starts + s * 2);
      const end = font.readUInt16BE(ends + s * 2);
      const delta = font.readInt16BE(deltas + s * 2);
      const rangeOffset = font.readUInt16BE(offsets + s * 2);
      for (let c = start; c <= end && c !== 0xffff; c++) {
        const glyph = rangeOffset === 0 ? (c + delta) & 0xffff : font.readUInt16BE(offsets + s * 2 + rangeOffset + (c - start) * 2);
        if (glyph !== 0) glyphs.set(c, glyph);
      }
    }
    break;
  }
  const hmtx = table('hmtx');
  return {
    unitsPerEm,
    advance: (codePoint) => {
      const glyph = glyphs.get(codePoint);
      return glyph === undefined ? undefined : font.readUInt16BE(hmtx + Math.min(glyph, metricCount - 1) * 4);
    },
  };
}

const metrics = new Map<400 | 600, Metrics>();

function metricsOf(weight: 400 | 600): Metrics {
  let m = metrics.get(weight);
  if (!m) metrics.set(weight, (m = readMetrics(INTER[weight])));
  return m;
}

/**
 * The width of a line of text in pixels: Inter's own advances; a wide character (CJK, emoji) counts
 * one em and any other a generous 0.65 em, so a measured label is never narrower than drawn.
 */
export function textWidth(content: string, size: number, weight: 400 | 600 = 400): number {
  const m = metricsOf(weight);
  let units = 0;
  for (const ch of content) {
    const codePoint = ch.codePointAt(0)!;
    const advance = m.advance(codePoint);
    if (advance !== undefined) units += advance;
    else units += (codePoint >= 0x2e80 ? 1 : 0.65) * m.unitsPerEm;
  }
  return (units / m.unitsPerEm) * size;
}
