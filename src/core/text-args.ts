import { acceptedValues, type OptionInfo } from './options';
import { UserError } from './user-error';

/**
 * Turns one line of text (a Slack command's text, a console line) into raw option values:
 * `name:value` pairs and positional values in declared order, with "quotes" for text with spaces.
 */

interface Token {
  text: string;
  /** Index in `text` where quoted content began, or -1: quoted text is never read as `name:`. */
  quotedAt: number;
}

const CLOSING_QUOTE: Record<string, string> = { '"': '"', "'": "'", '“': '”', '‘': '’', '”': '”' };
const NAMED = /^([a-z][a-z_]*):/i;

export function tokenize(line: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < line.length) {
    while (i < line.length && /\s/.test(line[i]!)) i++;
    if (i >= line.length) break;
    let text = '';
    let quotedAt = -1;
    while (i < line.length && !/\s/.test(line[i]!)) {
      const ch = line[i]!;
      const close = CLOSING_QUOTE[ch];
      // A quote opens only at the start of a value, so apostrophes inside words stay apostrophes.
      const atValueStart = text === '' || (NAMED.test(text) && text.endsWith(':'));
      if (close && atValueStart) {
        if (quotedAt < 0) quotedAt = text.length;
        const end = line.indexOf(close, i + 1);
        const stop = end < 0 ? line.length : end;
        text += line.slice(i + 1, stop);
        i = stop + 1;
        continue;
      }
      text += ch;
      i++;
    }
    tokens.push({ text, quotedAt });
  }
  return tokens;
}

function fits(info: OptionInfo, value: string): boolean {
  switch (info.type) {
    case 'integer':
    case 'number':
      return /^[+-]?\d[\d,_]*(\.\d+)?$/.test(value);
    case 'url':
      // Any scheme://, so that an ftp:// link is refused as a link rather than taken for free text.
      return /^[a-z][a-z0-9+.-]*:\/\//i.test(value);
    case 'choice':
      return info.choices?.some((c) => c.toLowerCase() === value.toLowerCase()) ?? false;
    case 'boolean':
      return BOOLEAN_WORDS.has(value.toLowerCase());
    default:
      return true;
  }
}

const absorbsText = (info: OptionInfo) => info.type === 'string';
const takesAnything = (info: OptionInfo) => info.type === 'string' || info.type === 'member' || info.type === 'channel';

/**
 * The slot a positional value belongs in: optional slots whose type it does not fit are skipped
 * (`/log 500 https://...` leaves minutes empty), but a value that is not one of a choice's options
 * is not moved past that choice into free text: it is reported as a bad choice instead.
 */
function firstFitting(open: OptionInfo[], value: string): OptionInfo | undefined {
  let skippedChoice = false;
  for (const slot of open) {
    if (fits(slot, value) && !(skippedChoice && takesAnything(slot))) return slot;
    if (slot.type === 'choice') skippedChoice = true;
  }
  return undefined;
}

export function parseTextArgs(
  commandName: string,
  line: string,
  infos: OptionInfo[],
  positional: readonly string[],
): Record<string, string> {
  const byName = new Map(infos.map((o) => [o.name.toLowerCase(), o]));
  const slots = positional.map((name) => byName.get(name.toLowerCase())!).filter(Boolean);
  const values: Record<string, string> = {};
  const setValue = (info: OptionInfo, value: string) => {
    if (info.name in values) throw new UserError('bad_argument', `${info.name} was given twice.`);
    values[info.name] = value;
  };
  const tokens = tokenize(line);
  const loose: Token[] = [];

  const nameOf = (token: Token) => {
    const named = NAMED.exec(token.text);
    const isNamed = named && (token.quotedAt < 0 || token.quotedAt >= named[0].length) && !token.text.startsWith(`${named[1]}://`);
    return isNamed ? named : null;
  };

  for (let t = 0; t < tokens.length; t++) {
    const token = tokens[t]!;
    const named = nameOf(token);
    if (!named) {
      loose.push(token);
      continue;
    }
    const info = byName.get(named[1]!.toLowerCase());
    if (!info) {
      const known = infos.map((o) => o.name).join(', ') || 'no options';
      throw new UserError('unknown_option', `/${commandName} has no option "${named[1]}". It takes: ${known}.`);
    }
    let value = token.text.slice(named[0].length);
    let quoted = token.quotedAt >= 0;
    // `note: "some text"` with a space after the colon: the value is the next token.
    if (value === '' && !quoted && t + 1 < tokens.length && !nameOf(tokens[t + 1]!)) {
      quoted = tokens[++t]!.quotedAt >= 0;
      value = tokens[t]!.text;
    }
    // Unquoted free text runs on to the next name: `note:finished chapter two`.
    while (absorbsText(info) && !quoted && t + 1 < tokens.length && !nameOf(tokens[t + 1]!)) value += ` ${tokens[++t]!.text}`;
    setValue(info, value);
  }

  let next = 0;
  let absorbing: OptionInfo | undefined;
  for (const token of loose) {
    const open = slots.slice(next).filter((s) => !(s.name in values));
    const target = firstFitting(open, token.text);
    if (target) {
      setValue(target, token.text);
      next = slots.indexOf(target) + 1;
      // Unquoted free text soaks up the rest of the line; quoted text ends where the user closed it.
      absorbing = absorbsText(target) && token.quotedAt < 0 ? target : undefined;
    } else if (absorbing) {
      values[absorbing.name] += ` ${token.text}`;
    } else if (open[0]) {
      // Nothing fits: hand it to the next slot so the error names that option and what it takes.
      setValue(open[0], token.text);
      next = slots.indexOf(open[0]) + 1;
    } else {
      const takes = slots.length ? `It takes: ${slots.map((s) => s.name).join(', ')}.` : 'It takes no values.';
      throw new UserError('bad_argument', `Too many values for /${commandName}: "${token.text}". ${takes}`);
    }
  }
  return values;
}

const BOOLEAN_WORDS = new Map([
  ['on', true],
  ['true', true],
  ['yes', true],
  ['off', false],
  ['false', false],
  ['no', false],
]);

/** Converts raw text values to the types the options declare; the zod schema validates them afterwards. */
export function coerceTextValues(raw: Record<string, string>, infos: OptionInfo[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const info of infos) {
    const text = raw[info.name];
    if (text === undefined) continue;
    const bad = () => new UserError('bad_argument', `Bad value for ${info.name}: "${clip(text)}". Expected ${acceptedValues(info)}.`);
    switch (info.type) {
      case 'integer':
      case 'number': {
        if (!fits(info, text)) throw bad();
        out[info.name] = Number(text.replace(/[,_]/g, ''));
        break;
      }
      case 'boolean': {
        const value = BOOLEAN_WORDS.get(text.toLowerCase());
        if (value === undefined) throw bad();
        out[info.name] = value;
        break;
      }
      case 'choice': {
        const choice = info.choices?.find((c) => c.toLowerCase() === text.toLowerCase());
        if (choice === undefined) throw bad();
        out[info.name] = choice;
        break;
      }
      default:
        out[info.name] = text;
    }
  }
  return out;
}

export function clip(text: string, length = 60): string {
  return text.length > length ? `${text.slice(0, length - 1)}…` : text;
}
