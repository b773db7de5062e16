/**
 * The checks Discord makes on message bodies and command registrations, answered the way Discord answers them
 * (400, code 50035 "Invalid Form Body" with an `errors` tree), so an adapter that renders too much fails here too.
 */

import { ErrorCode, MessageFlag } from './constants';

export interface FieldError {
  code: string;
  message: string;
}

export class FormErrors {
  private readonly tree: Record<string, unknown> = {};
  count = 0;

  add(path: (string | number)[], code: string, message: string): void {
    let node = this.tree;
    for (const key of path) {
      const name = String(key);
      node[name] ??= {};
      node = node[name] as Record<string, unknown>;
    }
    const errors = (node._errors ??= []) as FieldError[];
    errors.push({ code, message });
    this.count += 1;
  }

  toBody(): { code: number; message: string; errors: Record<string, unknown> } {
    return { code: ErrorCode.InvalidFormBody, message: 'Invalid Form Body', errors: this.tree };
  }
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (value: unknown): string => (typeof value === 'string' ? value : '');

function maxLength(errors: FormErrors, path: (string | number)[], value: unknown, max: number): void {
  if (typeof value === 'string' && [...value].length > max) {
    errors.add(path, 'BASE_TYPE_MAX_LENGTH', `Must be ${max} or fewer in length.`);
  }
}

function required(errors: FormErrors, path: (string | number)[], value: unknown): boolean {
  if (value === undefined || value === null || value === '') {
    errors.add(path, 'BASE_TYPE_REQUIRED', 'This field is required');
    return false;
  }
  return true;
}

export function embedLength(embed: Json): number {
  const fields = Array.isArray(embed.fields) ? (embed.fields as Json[]) : [];
  return [
    text(embed.title),
    text(embed.description),
    text(isObject(embed.footer) ? embed.footer.text : ''),
    text(isObject(embed.author) ? embed.author.name : ''),
    ...fields.flatMap((field) => [text(field.name), text(field.value)]),
  ].reduce((sum, part) => sum + [...part].length, 0);
}

function checkEmbeds(errors: FormErrors, embeds: unknown): void {
  if (embeds === undefined || embeds === null) return;
  if (!Array.isArray(embeds)) {
    errors.add(['embeds'], 'BASE_TYPE_ARRAY', 'Must be an array.');
    return;
  }
  if (embeds.length > 10) errors.add(['embeds'], 'BASE_TYPE_MAX_LENGTH', 'Must be 10 or fewer in length.');
  let total = 0;
  embeds.forEach((embed: unknown, index) => {
    if (!isObject(embed)) return;
    const at = (...rest: (string | number)[]) => ['embeds', index, ...rest];
    maxLength(errors, at('title'), embed.title, 256);
    maxLength(errors, at('description'), embed.description, 4096);
    if (isObject(embed.footer)) maxLength(errors, at('footer', 'text'), embed.footer.text, 2048);
    if (isObject(embed.author)) maxLength(errors, at('author', 'name'), embed.author.name, 256);
    if (typeof embed.color === 'number' && (embed.color < 0 || embed.color > 0xffffff)) {
      errors.add(at('color'), 'NUMBER_TYPE_MAX', 'int value should be less than or equal to 16777215.');
    }
    const fields = Array.isArray(embed.fields) ? (embed.fields as unknown[]) : [];
    if (fields.length > 25) errors.add(at('fields'), 'BASE_TYPE_MAX_LENGTH', 'Must be 25 or fewer in length.');
    fields.forEach((field, fieldIndex) => {
      if (!isObject(field)) return;
      if (required(errors, at('fields', fieldIndex, 'name'), field.name)) {
        maxLength(errors, at('fields', fieldIndex, 'name'), field.name, 256);
      }
      if (required(errors, at('fields', fieldIndex, 'value'), field.value)) {
        maxLength(errors, at('fields', fieldIndex, 'value'), field.value, 1024);
      }
    });
    total += embedLength(embed);
  });
  if (total > 6000) errors.add(['embeds'], 'MAX_EMBED_SIZE_EXCEEDED', 'Embed size exceeds maximum size of 6000');
}

function checkComponents(errors: FormErrors, components: unknown, flags: number): void {
  if (components === undefined || components === null) return;
  if (!Array.isArray(components)) {
    errors.add(['components'], 'BASE_TYPE_ARRAY', 'Must be an array.');
    return;
  }
  // Components v2 layouts have their own, much richer rules; only classic action rows are checked.
  if (flags & MessageFlag.IsComponentsV2) return;
  if (components.length > 5) errors.add(['components'], 'BASE_TYPE_MAX_LENGTH', 'Must be 5 or fewer in length.');
  const customIds = new Set<string>();
  components.forEach((row: unknown, rowIndex) => {
    if (!isObject(row)) return;
    if (row.type !== 1) {
      errors.add(['components', rowIndex, 'type'], 'UNION_TYPE_CHOICES', 'Value of field "type" must be one of (1,).');
      return;
    }
    const children = Array.isArray(row.components) ? (row.components as unknown[]) : [];
    if (children.length === 0 || children.length > 5) {
      errors.add(['components', rowIndex, 'components'], 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 5 in length.');
    }
    children.forEach((child, childIndex) => {
      if (!isObject(child)) return;
      const at = (...rest: (string | number)[]) => ['components', rowIndex, 'components', childIndex, ...rest];
      if (child.type === 2) {
        maxLength(errors, at('label'), child.label, 80);
        const isLink = child.style === 5;
        const isPremium = child.style === 6;
        if (isLink) {
          required(errors, at('url'), child.url);
          if (child.custom_id !== undefined) errors.add(at('custom_id'), 'BUTTON_LINK_CUSTOM_ID', 'A link button cannot have a custom_id.');
        } else if (!isPremium && required(errors, at('custom_id'), child.custom_id)) {
          maxLength(errors, at('custom_id'), child.custom_id, 100);
        }
        if (!isLink && !isPremium && child.label === undefined && child.emoji === undefined) {
          errors.add(at('label'), 'BUTTON_LABEL_OR_EMOJI_REQUIRED', 'A button needs a label or an emoji.');
        }
      } else if (typeof child.custom_id === 'string') {
        maxLength(errors, at('custom_id'), child.custom_id, 100);
      }
      if (typeof child.custom_id === 'string') {
        if (customIds.has(child.custom_id)) {
          errors.add(at('custom_id'), 'COMPONENT_CUSTOM_ID_DUPLICATED', 'Component custom id cannot be duplicated');
        }
        customIds.add(child.custom_id);
      }
    });
  });
}

export interface MessageBodyCheck {
  /** Files uploaded with the request. */
  fileCount: number;
  /** Attachments the message already has and keeps (edits). */
  keptAttachments?: number;
  /** An edit may leave fields out; they keep their old values. */
  partial?: boolean;
}

export type BodyProblem = { status: 400; body: Record<string, unknown> };

/** Checks a message create/edit body the way Discord does; returns the error answer, or undefined when it passes. */
export function checkMessageBody(body: Json, { fileCount, keptAttachments = 0, partial = false }: MessageBodyCheck): BodyProblem | undefined {
  const errors = new FormErrors();
  if (body.content !== undefined && body.content !== null && typeof body.content !== 'string') {
    errors.add(['content'], 'BASE_TYPE_STRING', 'Must be a string.');
  }
  maxLength(errors, ['content'], body.content, 2000);
  checkEmbeds(errors, body.embeds);
  const flags = typeof body.flags === 'number' ? body.flags : 0;
  checkComponents(errors, body.components, flags);
  const attachmentCount = Math.max(fileCount, Array.isArray(body.attachments) ? body.attachments.length : 0);
  if (attachmentCount > 10) errors.add(['attachments'], 'BASE_TYPE_MAX_LENGTH', 'Must be 10 or fewer in length.');
  if (errors.count > 0) return { status: 400, body: errors.toBody() };

  if (!partial) {
    const hasContent = typeof body.content === 'string' && body.content.trim() !== '';
    const hasEmbeds = Array.isArray(body.embeds) && body.embeds.length > 0;
    const hasComponents = Array.isArray(body.components) && body.components.length > 0;
    const hasStickers = Array.isArray(body.sticker_ids) && body.sticker_ids.length > 0;
    const hasFiles = fileCount + keptAttachments > 0;
    if (!hasContent && !hasEmbeds && !hasComponents && !hasStickers && !hasFiles && body.poll === undefined) {
      return { status: 400, body: { code: ErrorCode.CannotSendEmptyMessage, message: 'Cannot send an empty message' } };
    }
  }
  return undefined;
}

const COMMAND_NAME = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;

function checkCommandOptions(errors: FormErrors, path: (string | number)[], options: unknown, depth: number): void {
  if (options === undefined || options === null) return;
  if (!Array.isArray(options)) {
    errors.add(path, 'BASE_TYPE_ARRAY', 'Must be an array.');
    return;
  }
  if (options.length > 25) errors.add(path, 'BASE_TYPE_MAX_LENGTH', 'Must be 25 or fewer in length.');
  const names = new Set<string>();
  let sawOptional = false;
  options.forEach((option: unknown, index) => {
    if (!isObject(option)) return;
    const at = (...rest: (string | number)[]) => [...path, index, ...rest];
    const name = text(option.name);
    if (!COMMAND_NAME.test(name) || name !== name.toLowerCase()) {
      errors.add(at('name'), 'APPLICATION_COMMAND_INVALID_NAME', 'Command name is invalid');
    }
    if (names.has(name)) errors.add(at('name'), 'APPLICATION_COMMAND_OPTIONS_NAME_ALREADY_EXISTS', 'Option names must be unique');
    names.add(name);
    if (required(errors, at('description'), option.description)) maxLength(errors, at('description'), option.description, 100);
    const isSubcommand = option.type === 1 || option.type === 2;
    if (isSubcommand) {
      if (depth >= 2 || (option.type === 2 && depth >= 1)) {
        errors.add(at('type'), 'APPLICATION_COMMAND_OPTIONS_TYPE_INVALID', 'Sub-command nesting is too deep');
      }
      checkCommandOptions(errors, at('options'), option.options, depth + 1);
      return;
    }
    if (option.required === true && sawOptional) {
      errors.add(at('required'), 'APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID', 'Required options must be placed before non-required options');
    }
    if (option.required !== true) sawOptional = true;
    if (Array.isArray(option.choices) && option.choices.length > 25) {
      errors.add(at('choices'), 'BASE_TYPE_MAX_LENGTH', 'Must be 25 or fewer in length.');
    }
  });
}

/** Checks one command of a registration (bulk overwrite or create). */
export function checkCommand(errors: FormErrors, path: (string | number)[], command: unknown): void {
  if (!isObject(command)) {
    errors.add(path, 'DICT_TYPE_CONVERT', 'Only dictionaries may be used in a DictType');
    return;
  }
  const type = command.type ?? 1;
  const name = text(command.name);
  const chatInput = type === 1;
  if (!name || (chatInput && (!COMMAND_NAME.test(name) || name !== name.toLowerCase())) || [...name].length > 32) {
    errors.add([...path, 'name'], 'APPLICATION_COMMAND_INVALID_NAME', 'Command name is invalid');
  }
  if (chatInput) {
    if (required(errors, [...path, 'description'], command.description)) maxLength(errors, [...path, 'description'], command.description, 100);
    checkCommandOptions(errors, [...path, 'options'], command.options, 0);
  }
}

export function checkCommandList(commands: unknown): BodyProblem | undefined {
  const errors = new FormErrors();
  if (!Array.isArray(commands)) {
    errors.add([], 'BASE_TYPE_ARRAY', 'Must be an array.');
    return { status: 400, body: errors.toBody() };
  }
  if (commands.length > 100) errors.add([], 'BASE_TYPE_MAX_LENGTH', 'Must be 100 or fewer in length.');
  const seen = new Set<string>();
  commands.forEach((command: unknown, index) => {
    checkCommand(errors, [index], command);
    if (isObject(command)) {
      const key = `${command.type ?? 1}:${text(command.name)}`;
      if (seen.has(key)) errors.add([index, 'name'], 'APPLICATION_COMMANDS_DUPLICATE_NAME', `Application command names must be unique`);
      seen.add(key);
    }
  });
  return errors.count > 0 ? { status: 400, body: errors.toBody() } : undefined;
}
