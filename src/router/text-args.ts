import { clip } from '../core/format';
import { acceptedValues, type OptionInfo } from './options';
import { UserError } from '../core/user-error';

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
/** `words=500` names an option too, but only one the command has, so `x=y` in a note stays text. */
const NAMED_WITH_EQUALS = /^([a-z][a-z_]*)=/i;
/** What a date option takes, recognised anywhere in the line (`/log 500 yesterday`). */
const DATE_LIKE = /^(?:today|yesterday|\d{4}-\d{1,2}-\d{1,2})$/i;

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

/**
 * A number as people type it: ASCII or full-width digits, thousands separators, and k for thousands
 * ("1,200", "５００", "1.5k"); undefined if it is not one.
 */
export function readNumber(text: string): number | undefined {
  const match = /^([+-]?\d[\d,_]*(?:\.\d+)?)(k?)$/i.exec(text.normalize('NFKC'));
  if (!match) return undefined;
  const value = Number(match[1]!.replace(/[,_]/g, ''));
  // 1.1 × 1000 is 1100.0000000000002 in floating point: round away what the typing never said.
  return match[2] ? Math.round(value * 1000 * 1e6) / 1e6 : value;
}

const isNumeric = (info: OptionInfo) => info.type === 'integer' || info.type === 'number';

/** The numeric option a unit word names: its name, its singular, or its first three letters or more ("min"). */
function optionOfUnit(word: string, infos: OptionInfo[]): OptionInfo | undefined {
  const unit = word.toLowerCase();
  return infos.find((o) => isNumeric(o) && (o.name === unit || o.name === `${unit}s` || (unit.length >= 3 && o.name.startsWith(unit))));
}

/** "500words", "45min": a number with its option's unit stuck to it. */
function numberWithUnit(text: string, infos: OptionInfo[]): { info: OptionInfo; value: string } | undefined {
  const match = /^(.*\d)([a-z]+)$/i.exec(text.normalize('NFKC'));
  const info = match && optionOfUnit(match[2]!, infos);
  return info && readNumber(match[1]!) !== undefined ? { info, value: match[1]! } : undefined;
}

function fits(info: OptionInfo, value: string): boolean {
  switch (info.type) {
    case 'integer':
    case 'number':
      return readNumber(value) !== undefined;
    case 'url':
      // Any scheme://, so that an ftp:// link is refused as a link rather than taken for free text.
      return /^[a-z][a-z0-9+.-]*:\/\//i.test(value);
    case 'choice':
      return info.choices?.some((c) => c.toLowerCase() === value.toLowerCase()) ?? false;
    case 'boolean':
      return BOOLEAN_WORDS.has(value.toLowerCase());
    case 'date':
      return DATE_LIKE.test(value);
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

/**
 * The positional order a line follows: the one given for its first positional value (the choice
 * named, or else the first loose value), or the default order.
 */
function chosenOrder(positional: readonly string[], orders: Readonly<Record<string, readonly string[]>>, named: Record<string, string>, loose: Token[]): readonly string[] {
  const first = positional[0];
  if (!first) return positional;
  const choice = named[first] ?? (loose[0] && loose[0].quotedAt < 0 ? loose[0].text : undefined);
  const order = choice === undefined ? undefined : Object.entries(orders).find(([value]) => value.toLowerCase() === choice.toLowerCase());
  return order?.[1] ?? positional;
}

export function parseTextArgs(
  commandName: string,
  line: string,
  infos: OptionInfo[],
  positional: readonly string[],
  /** Other orders for some values of the first positional option (see CommandBase.positionalFor). */
  orders: Readonly<Record<string, readonly string[]>> = {},
): Record<string, string> {
  const byName = new Map(infos.map((o) => [o.name.toLowerCase(), o]));
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
    if (isNamed) return named;
    const equals = NAMED_WITH_EQUALS.exec(token.text);
    return equals && token.quotedAt < 0 && byName.has(equals[1]!.toLowerCase()) ? equals : null;
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

  const slots = chosenOrder(positional, orders, values, loose).map((name) => byName.get(name.toLowerCase())!).filter(Boolean);
  const dateOption = infos.find((o) => o.type === 'date');
  let next = 0;
  let absorbing: OptionInfo | undefined;
  let previous: OptionInfo | undefined;
  /** A free-text slot that took a value only after a numeric slot said no to it: perhaps a count mistyped. */
  let overflowed: { text: OptionInfo; numeric: OptionInfo } | undefined;
  for (const token of loose) {
    const unquoted = token.quotedAt < 0;
    if (unquoted && dateOption && !(dateOption.name in values) && DATE_LIKE.test(token.text)) {
      setValue(dateOption, token.text);
      continue;
    }
    // A unit after a number says where the number goes: "500 words" stays, "20 min" moves to minutes.
    const unitOf = unquoted && previous ? optionOfUnit(token.text, infos) : undefined;
    if (previous && unitOf && (unitOf === previous || !(unitOf.name in values))) {
      if (unitOf !== previous) {
        values[unitOf.name] = values[previous.name]!;
        delete values[previous.name];
        next = slots.indexOf(previous);
      }
      previous = undefined;
      continue;
    }
    const withUnit = unquoted ? numberWithUnit(token.text, infos) : undefined;
    if (withUnit && !(withUnit.info.name in values)) {
      setValue(withUnit.info, withUnit.value);
      continue;
    }
    const open = slots.slice(next).filter((s) => !(s.name in values));
    const target = firstFitting(open, token.text);
    previous = target && isNumeric(target) ? target : undefined;
    if (target) {
      const skippedNumber = open.slice(0, open.indexOf(target)).find(isNumeric);
      if (absorbsText(target) && skippedNumber && unquoted) overflowed ??= { text: target, numeric: skippedNumber };
      setValue(target, token.text);
      next = slots.indexOf(target) + 1;
      // Unquoted free text soaks up the rest of the line; quoted text ends where the user closed it.
      absorbing = absorbsText(target) && unquoted ? target : undefined;
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
  // Nothing but a word or two that read like a miswritten count: ask rather than keep it as text.
  if (overflowed && Object.keys(values).length === 1) {
    const text = values[overflowed.text.name]!;
    const meant = countInWords(text);
    if (meant !== undefined || /^[+-]?\d/.test(text.normalize('NFKC'))) {
      const guess = meant === undefined ? '' : ` Did you mean /${commandName} ${meant}?`;
      throw new UserError(
        'bad_argument',
        `I couldn't read "${clip(text, 40)}" as ${overflowed.numeric.name}: write it in digits, like /${commandName} 500.${guess} (To give it as ${overflowed.text.name}, write ${overflowed.text.name}:"${clip(text, 40)}".)`,
      );
    }
  }
  return values;
}

const SMALL_NUMBERS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve', 'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen'];
const TENS = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];

/**
 * The number a count written out means ("five" 5, "two thousand five hundred" 2500, "1e3" 1000), or
 * undefined when the text is anything else.
 */
export function countInWords(text: string): number | undefined {
  const trimmed = text.trim().toLowerCase();
  if (/^\d+(?:\.\d+)?e\d+$/.test(trimmed)) return Math.round(Number(trimmed));
  const words = trimmed.split(/[\s-]+|\band\b/).filter(Boolean);
  if (words.length === 0) return undefined;
  let total = 0;
  let current = 0;
  for (const word of words) {
    const small = SMALL_NUMBERS.indexOf(word);
    const tens = TENS.indexOf(word);
    if (small >= 0) current += small;
    else if (tens >= 2) current += tens * 10;
    else if (word === 'hundred') current = (current || 1) * 100;
    else if (word === 'thousand') {
      total += (current || 1) * 1000;
      current = 0;
    } else return undefined;
  }
  return total + current;
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
        const value = readNumber(text);
        if (value === undefined) throw bad();
        out[info.name] = value;
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

