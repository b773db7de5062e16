import { FONT_FAMILY } from './png';

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

export function text(x: number, y: number, content: string, options: { size?: number; weight?: 400 | 600; fill?: string; anchor?: 'start' | 'middle' | 'end' } = {}): string {
  const { size = 12, weight = 400, fill = THEME.text, anchor = 'start' } = options;
  return `<text x="${x}" y="${y}" font-size="${size}" font-weight="${weight}" fill="${fill}" text-anchor="${anchor}">${escapeXml(content)}</text>`;
}

/** Shortens text to about `max` characters, for labels that must fit. */
export function fit(label: string, max: number): string {
  // Only characters that will be drawn count toward the length.
  const content = label.replace(NOT_XML, '');
  if (content.length <= max) return content;
  // Never cut an emoji (a surrogate pair) in half.
  const cut = /[\ud800-\udbff]/.test(content[max - 2] ?? '') ? max - 2 : max - 1;
  return `${content.slice(0, cut)}…`;
}
