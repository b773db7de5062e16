import { FALLBACK_FONTS, FONT_FAMILY, textWidth } from './fonts';

/**
 * A card that reads well on light and dark chat themes alike: an opaque light surface with its own
 * border, so it never depends on the colour behind it.
 */
export const THEME = {
  background: '#ffffff',
  border: '#d0d7de',
  text: '#1f2328',
  muted: '#656d76',
  grid: '#eaeef2',
  empty: '#ebedf0',
  levels: ['#9be9a8', '#40c463', '#30a14e', '#216e39'],
  freeze: '#54aeff',
  vacation: '#d4a72c',
  today: '#1f2328',
  series: ['#0969da', '#cf222e', '#1a7f37', '#8250df', '#bc4c00', '#1b7c83'],
  total: '#1f2328',
} as const;

// What XML 1.0 does not allow anywhere (C0 controls but tab, line feed and carriage return; lone
// surrogates; U+FFFE and U+FFFF): one of them in a name makes resvg refuse the whole picture.
const NOT_XML = /[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu;

/** Text safe inside an element or an attribute: markup escaped, characters XML forbids dropped. */
export function escapeXml(text: string): string {
  return text
    .replace(NOT_XML, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

export function svgDocument(width: number, height: number, body: string): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${FONT_FAMILY}">`,
    `<rect x="0.5" y="0.5" width="${width - 1}" height="${height - 1}" rx="10" fill="${THEME.background}" stroke="${THEME.border}"/>`,
    body,
    '</svg>',
  ].join('');
}

const EMOJI = /[\u2190-\u2BFF\u{1F000}-\u{1FAFF}]/u;
const DEVANAGARI = FALLBACK_FONTS.find((f) => f.family === 'Noto Sans Devanagari')!;

/**
 * Text as the shipped faces can draw it. The emoji face is monochrome and resvg's fallback cannot join
 * sequences, so an emoji sequence is drawn as its parts (skin tones and joiners dropped, a flag as its
 * two letters) with a thin space between neighbours.
 */
export function drawable(content: string): string {
  let out = '';
  let previousEmoji = false;
  for (const ch of content.replace(/[\uFE0E\uFE0F\u200D\u{1F3FB}-\u{1F3FF}\u{E0020}-\u{E007F}]/gu, '')) {
    const codePoint = ch.codePointAt(0)!;
    if (codePoint >= 0x1f1e6 && codePoint <= 0x1f1ff) {
      out += String.fromCharCode(65 + codePoint - 0x1f1e6);
      previousEmoji = false;
      continue;
    }
    const emoji = EMOJI.test(ch);
    if (emoji && previousEmoji) out += '\u2009';
    out += ch;
    previousEmoji = emoji;
  }
  return out;
}

export function text(x: number, y: number, content: string, options: { size?: number; weight?: 400 | 600; fill?: string; anchor?: 'start' | 'middle' | 'end' } = {}): string {
  const { size = 12, weight = 400, fill = THEME.text, anchor = 'start' } = options;
  // Devanagari is shaped by its own face from the start (resvg's fallback misplaces its vowel signs),
  // with word spacing because resvg loses the space after a vowel sign.
  const script = DEVANAGARI.script.test(content) ? ` font-family="${DEVANAGARI.family}" word-spacing="${(size * 0.28).toFixed(1)}"` : '';
  return `<text x="${x}" y="${y}" font-size="${size}" font-weight="${weight}" fill="${fill}" text-anchor="${anchor}"${script}>${escapeXml(drawable(content))}</text>`;
}

/** Shortens text with an ellipsis only when it is wider than `width` pixels at that size and weight. */
export function fit(label: string, width: number, size = 12, weight: 400 | 600 = 400): string {
  // Only characters that will be drawn count; cutting by code point never splits an emoji in half.
  const content = label.replace(NOT_XML, '');
  if (textWidth(content, size, weight) <= width) return content;
  const chars = Array.from(content);
  while (chars.length > 1 && textWidth(`${chars.join('')}…`, size, weight) > width) chars.pop();
  return `${chars.join('').trimEnd()}…`;
}
