import { z } from 'zod';
import type { Logger } from '../logger';
import type { Services } from '../services/index';
import type { Clock } from '../core/clock';
import { cleanText, hasControlCharacters } from '../core/clean-text';
import { type ButtonDefinition, type CommandContext, type CommandDefinition, commandNames, type MessageHandler, requireGroup } from './command';
import type { Actor, CommandArgs, Invocation } from '../core/invocation';
import { acceptedValues, describeOptions, type OptionInfo, usage } from './options';
import { clip, closest } from '../core/format';
import { APOLOGY, privateReply, type Reply } from '../core/reply';
import { coerceTextValues, parseTextArgs } from './text-args';
import { UserError } from '../core/user-error';
import { InboxEntryAlreadyDone, InboxRunAbandoned } from '../db/inbox-scope';
import { CHAT_MESSAGE, type CommandMetrics, type CommandOutcome, NO_METRICS, UNKNOWN_COMMAND } from '../observability/metrics';

export const MAX_ARGUMENT_TEXT = 4000;

export interface RouterDeps {
  commands: readonly CommandDefinition[];
  messages: MessageHandler;
  services: Services;
  clock: Clock;
  logger: Logger;
  /** Told of every invocation the router finishes; nothing by default. */
  metrics?: CommandMetrics;
}

/**
 * Finds the command, parses its arguments with its zod schema, checks permission and runs it.
 * Mistakes come back as a private UserError message; anything else is a bug, logged with its cause
 * and answered with a short apology. The router never throws.
 */
export class Router {
  private readonly commands = new Map<string, { definition: CommandDefinition; options: OptionInfo[] }>();
  private readonly buttons = new Map<string, ButtonDefinition>();
  /** The command a button action belongs to, for counting its presses under the command's name. */
  private readonly buttonCommands = new Map<string, string>();

  constructor(private readonly deps: RouterDeps) {
    for (const definition of deps.commands) {
      const options = describeOptions(definition.options);
      for (const name of commandNames(definition)) {
        // A second definition under a name would silently win; refuse to start instead.
        if (this.commands.has(name)) throw new Error(`Command /${name} is registered twice.`);
        this.commands.set(name, { definition, options });
      }
      for (const button of definition.buttons ?? []) {
        if (this.buttons.has(button.action)) throw new Error(`Button action "${button.action}" is registered twice.`);
        this.buttons.set(button.action, button);
        this.buttonCommands.set(button.action, definition.name);
      }
    }
  }

  get catalog(): readonly CommandDefinition[] {
    return this.deps.commands;
  }

  async handle(invocation: Invocation): Promise<Reply | void> {
    const started = performance.now();
    let outcome: CommandOutcome = 'handled';
    try {
      return await this.dispatch(invocation);
    } catch (error) {
      if (error instanceof UserError) {
        outcome = 'refused';
        this.deps.logger.debug({ code: error.code, invocation: describe(invocation) }, 'refused');
        return privateReply(error.message);
      }
      if (error instanceof InboxEntryAlreadyDone || error instanceof InboxRunAbandoned) {
        // No bug: another run of the stored command made its change, or this run was given up at its
        // deadline. The inbox does not send this answer; the run that made the change, or the recovery, answers.
        outcome = 'refused';
        this.deps.logger.debug({ err: error, invocation: describe(invocation) }, 'stopped by the inbox');
        return privateReply(APOLOGY);
      }
      outcome = 'failed';
      this.deps.logger.error({ err: error, invocation: describe(invocation) }, 'handler failed');
      return privateReply(APOLOGY);
    } finally {
      (this.deps.metrics ?? NO_METRICS).commandFinished(this.metricName(invocation), outcome, (performance.now() - started) / 1000);
    }
  }

  /** What an invocation is counted under: a registered command's own name, never the text that was sent. */
  private metricName(invocation: Invocation): string {
    switch (invocation.kind) {
      case 'command':
        return this.commands.get(invocation.name.trim().replace(/^\//, '').toLowerCase())?.definition.name ?? UNKNOWN_COMMAND;
      case 'button':
      case 'form':
        return this.buttonCommands.get(invocation.action) ?? UNKNOWN_COMMAND;
      default:
        return CHAT_MESSAGE;
    }
  }

  private async dispatch(raw: Invocation): Promise<Reply | void> {
    const { services } = this.deps;
    const invocation = cleaned(raw);
    const group = await services.groups.find(invocation.conversation);
    const ctx: CommandContext = {
      actor: invocation.actor,
      conversation: invocation.conversation,
      idempotencyKey: invocation.idempotencyKey,
      isAdmin: services.groups.isAdmin(group, invocation.actor),
      group,
      services,
      clock: this.deps.clock,
      catalog: this.deps.commands,
    };
    const needGroup = (scope: 'group' | 'anywhere' | undefined, name: string) => {
      if (scope !== 'anywhere') requireGroup(ctx, name);
    };

    switch (invocation.kind) {
      case 'command': {
        const name = invocation.name.trim().replace(/^\//, '').toLowerCase();
        const command = this.commands.get(name);
        if (!command) throw new UserError('unknown_command', unknownCommand(name, [...this.commands.keys()]));
        const { definition, options } = command;
        needGroup(definition.scope, `/${name}`);
        if (definition.adminOnly && !ctx.isAdmin)
          throw new UserError(
            'not_admin',
            `Only group admins can use /${name}: server managers on Discord, workspace admins on Slack, and anyone on the group's admin list.`,
          );
        return await parseArguments(definition, options, invocation.args).run(ctx);
      }
      case 'button': {
        const button = this.buttons.get(invocation.action);
        if (!button) throw new UserError('stale_button', 'That button no longer works. Run the command again for a fresh one.');
        needGroup(button.scope, 'that button');
        return await button.run(ctx, invocation.payload);
      }
      case 'form': {
        const button = this.buttons.get(invocation.action);
        if (!button?.submit) throw new UserError('stale_form', 'That form no longer works. Press the button again for a fresh one.');
        needGroup(button.scope, 'that form');
        return await button.submit(ctx, invocation.payload, invocation.values);
      }
      case 'message':
        return group && this.deps.messages.onMessage({ ...ctx, group }, invocation);
      case 'message-edited':
        return group && this.deps.messages.onEdit({ ...ctx, group }, invocation);
      case 'message-deleted':
        return group && this.deps.messages.onDelete({ ...ctx, group }, invocation.messageId);
    }
  }
}

/** The command's run, bound to the invocation's arguments once they have been read and checked. */
function parseArguments(definition: CommandDefinition, options: OptionInfo[], args: CommandArgs): { run(ctx: CommandContext): Promise<Reply> } {
  let values: Record<string, unknown>;
  if ('text' in args) {
    if (args.text.length > MAX_ARGUMENT_TEXT)
      throw new UserError('bad_argument', `That is too long: /${definition.name} takes at most ${MAX_ARGUMENT_TEXT} characters.`);
    values = coerceTextValues(parseTextArgs(definition.name, args.text, options, definition.positional ?? [], definition.positionalFor), options);
  } else {
    values = args.values;
    const unknown = Object.keys(values).find((key) => !options.some((o) => o.name === key));
    if (unknown) throw new UserError('unknown_option', `/${definition.name} has no option "${clip(unknown, 32)}".`);
  }
  for (const [name, value] of Object.entries(values)) {
    if (typeof value === 'string' && hasControlCharacters(value))
      throw new UserError('bad_argument', `${name} contains control characters; please use plain text.`);
  }
  const checked = definition.check(values);
  if (checked.success) return checked;
  throw explain(definition, options, checked.issue, values);
}

function explain(definition: CommandDefinition, options: OptionInfo[], issue: z.core.$ZodIssue, values: Record<string, unknown>): UserError {
  const name = String(issue.path[0] ?? '');
  const info = options.find((o) => o.name === name);
  if (!info) return new UserError('bad_argument', issue.message);
  const value = values[name];
  if (value === undefined)
    return new UserError('missing_argument', `/${definition.name} needs ${name} (${acceptedValues(info)}). Usage: ${usage(definition.name, options)}`);
  if (issue.code === 'custom') return new UserError('bad_argument', issue.message);
  if (issue.code === 'too_big' && info.maxLength !== undefined && typeof value === 'string')
    return new UserError('bad_argument', `${name} is too long (${value.length} characters); the limit is ${info.maxLength}.`);
  return new UserError('bad_argument', `Bad value for ${name}: "${clip(String(value))}". Expected ${acceptedValues(info)}.`);
}

/** "There's no /lgo command. Did you mean /log? Type /help to see them all." */
export function unknownCommand(name: string, known: readonly string[]): string {
  const meant = closest(name, known);
  return `There's no /${clip(name, 32)} command.${meant ? ` Did you mean /${meant}?` : ''} Type /help to see them all.`;
}

/**
 * The invocation with the text the platform supplied cleaned: the speaker's name and a chat
 * message's text. Typed command arguments are not cleaned but refused (parseArguments), so the
 * person sees what was wrong.
 */
function cleaned(invocation: Invocation): Invocation {
  const actor = cleanActor(invocation.actor);
  if (invocation.kind === 'message' || invocation.kind === 'message-edited')
    return { ...invocation, actor, text: cleanText(invocation.text, { multiline: true }) };
  return { ...invocation, actor };
}

function cleanActor(actor: Actor): Actor {
  const displayName = cleanText(actor.displayName).trim();
  // A name made only of such characters is shown by the user id, as platforms do for a missing name.
  return { ...actor, displayName: displayName || (actor.displayName ? actor.userId : '') };
}

function describe(invocation: Invocation) {
  const { kind, conversation, idempotencyKey } = invocation;
  const what = invocation.kind === 'command' ? invocation.name : invocation.kind === 'button' || invocation.kind === 'form' ? invocation.action : undefined;
  return { kind, what, platform: conversation.platform, channel: conversation.channelId, key: idempotencyKey };
}
