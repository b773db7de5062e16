import { z } from 'zod';

/** What an option takes, read once from its zod schema: drives parsing, /help, Discord and Slack. */
export interface OptionInfo {
  name: string;
  description: string;
  required: boolean;
  type: 'integer' | 'number' | 'string' | 'url' | 'boolean' | 'choice' | 'member' | 'channel' | 'date';
  min?: number;
  max?: number;
  maxLength?: number;
  choices?: string[];
}

type OptionKind = 'member' | 'channel' | 'date';

/** A reference to a member of the group: a mention on Discord and Slack, a name on the console. */
export function memberOption(description: string) {
  return z.string().min(1).max(200).meta({ kind: 'member' satisfies OptionKind, description });
}

/** A reference to a channel: a channel mention on Discord and Slack, a name on the console. */
export function channelOption(description: string) {
  return z.string().min(1).max(200).meta({ kind: 'channel' satisfies OptionKind, description });
}

/** A day: today, yesterday or YYYY-MM-DD. Typed text finds it in any position, like a name:value pair. */
export function dateOption(description: string) {
  return z.string().min(1).max(10).meta({ kind: 'date' satisfies OptionKind, description });
}

export type OptionsSchema = z.ZodObject<Record<string, z.ZodType>>;

export function describeOptions(schema: OptionsSchema): OptionInfo[] {
  return Object.entries(schema.shape).map(([name, field]) => describeOption(name, field));
}

function describeOption(name: string, field: z.ZodType): OptionInfo {
  let inner = field;
  let required = true;
  while (inner instanceof z.ZodOptional || inner instanceof z.ZodDefault) {
    required = false;
    inner = inner.unwrap() as z.ZodType;
  }
  const meta = z.globalRegistry.get(inner) as { kind?: OptionKind; description?: string } | undefined;
  const description = field.description ?? inner.description ?? meta?.description ?? name;
  const info: OptionInfo = { name, description, required, type: 'string' };
  if (meta?.kind) info.type = meta.kind;
  else if (inner instanceof z.ZodNumber) {
    info.type = inner.isInt ? 'integer' : 'number';
    if (Number.isFinite(inner.minValue)) info.min = inner.minValue ?? undefined;
    if (Number.isFinite(inner.maxValue)) info.max = inner.maxValue ?? undefined;
  } else if (inner instanceof z.ZodBoolean) info.type = 'boolean';
  else if (inner instanceof z.ZodEnum) {
    info.type = 'choice';
    info.choices = inner.options.map(String);
  } else if (inner instanceof z.ZodURL) info.type = 'url';
  if (inner instanceof z.ZodString || inner instanceof z.ZodURL) {
    const maxLength = (inner as z.ZodString).maxLength;
    if (maxLength !== null && maxLength !== undefined) info.maxLength = maxLength;
  }
  return info;
}

const numberFormat = new Intl.NumberFormat('en-US');

/** What an option accepts, in words, for error messages and /help. */
export function acceptedValues(info: OptionInfo): string {
  const range = (noun: string) => {
    if (info.min !== undefined && info.max !== undefined)
      return `${noun} from ${numberFormat.format(info.min)} to ${numberFormat.format(info.max)}`;
    if (info.min !== undefined) return `${noun} of at least ${numberFormat.format(info.min)}`;
    if (info.max !== undefined) return `${noun} up to ${numberFormat.format(info.max)}`;
    return noun;
  };
  switch (info.type) {
    case 'integer':
      return range('a whole number');
    case 'number':
      return range('a number');
    case 'boolean':
      return 'on or off';
    case 'choice':
      return `one of: ${info.choices?.join(', ')}`;
    case 'url':
      return 'an http:// or https:// link';
    case 'member':
      return 'a member of this group (a mention or their name)';
    case 'channel':
      return 'a channel (a #mention)';
    case 'date':
      return 'today, yesterday or a date (YYYY-MM-DD)';
    case 'string':
      return info.maxLength ? `text up to ${numberFormat.format(info.maxLength)} characters` : 'text';
  }
}

/** `/log [words] [minutes]`-style usage line. */
export function usage(commandName: string, infos: OptionInfo[]): string {
  const parts = infos.map((o) => (o.required ? `<${o.name}>` : `[${o.name}]`));
  return [`/${commandName}`, ...parts].join(' ');
}
