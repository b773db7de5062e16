/**
 * Text from outside (display names, channel names, feed and page titles, chat messages) is cleaned
 * once, where it enters: control characters break pictures and logs, and the bidirectional
 * overrides can make a name or a title read as something else.
 */

// C0 and C1 controls, and the bidirectional embeddings, overrides and isolates.
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

// The same, with lone surrogates (one code point each under the u flag) and U+FFFE and U+FFFF, which are no characters at all.
const REMOVED = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\u{d800}-\u{dfff}\ufffe\uffff]/gu;
// As REMOVED, but keeping the line feed.
const REMOVED_BUT_NEWLINE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\u{d800}-\u{dfff}\ufffe\uffff]/gu;
const LINE_BREAK = /\r\n|[\t\n\v\f\r\u0085\u2028\u2029]/g;

/** True when text holds a control or direction-override character (typed command arguments refuse them). */
export function hasControlCharacters(text: string): boolean {
  return CONTROL_CHARACTER.test(text);
}

/**
 * Text without control and direction-override characters. A one-line field (a name, a title) gets a
 * space for each tab or line break; `multiline` text (a chat message) keeps its line breaks as `\n`.
 */
export function cleanText(text: string, options: { multiline?: boolean } = {}): string {
  if (!options.multiline) return text.replace(LINE_BREAK, ' ').replace(REMOVED, '');
  return text.replace(/\r\n?/g, '\n').replace(/\t/g, ' ').replace(REMOVED_BUT_NEWLINE, '');
}
