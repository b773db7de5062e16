import type { z } from 'zod';
import type { Group } from '../domain/group';
import type { Services } from '../services/index';
import type { Clock } from '../core/clock';
import type { Actor, Conversation, FormValues } from '../core/invocation';
import type { OptionsSchema } from './options';
import type { Reply } from '../core/reply';
import { UserError } from '../core/user-error';

/** What a handler knows about the invocation, and the services it may call. */
export interface CommandContext {
  actor: Actor;
  conversation: Conversation;
  /** The delivery's idempotency key: pass it to services that must not repeat an effect. */
  idempotencyKey: string;
  /** Platform admin, or on this group's admin list. */
  isAdmin: boolean;
  group?: Group;
  services: Services;
  clock: Clock;
  /** Every registered command, for /help. */
  catalog: readonly CommandDefinition[];
}

export interface GroupContext extends CommandContext {
  group: Group;
}

interface CommandBase<S extends OptionsSchema> {
  name: string;
  /** Other names the same command answers to, on every platform and in /help. */
  aliases?: readonly string[];
  description: string;
  options: S;
  /** Options that may be given without `name:`, in this order (Slack and console text). */
  positional?: readonly (keyof z.infer<S> & string)[];
  /**
   * Another positional order for some values of the first positional option (a choice), as a
   * subcommand has its own: `/sprint chain 3 25 5` is count, minutes, gap where `/sprint start 30 5`
   * is minutes, in. Each order starts with that option.
   */
  positionalFor?: Readonly<Record<string, readonly (keyof z.infer<S> & string)[]>>;
  adminOnly?: boolean;
  /** Lines /help <command> adds after the options (what each of a setting's values means). */
  moreHelp?: readonly string[];
  /** Handlers behind buttons this command's replies carry. */
  buttons?: readonly ButtonDefinition[];
}

/** A command that runs in a group's channel (the default). */
export interface GroupCommand<S extends OptionsSchema> extends CommandBase<S> {
  scope?: 'group';
  run(ctx: GroupContext, args: z.infer<S>): Promise<Reply>;
}

/** A command that also works where no group was set up (help, setup, personal data). */
export interface AnywhereCommand<S extends OptionsSchema> extends CommandBase<S> {
  scope: 'anywhere';
  run(ctx: CommandContext, args: z.infer<S>): Promise<Reply>;
}

/** Option values checked against a command's schema: either a run bound to them, or the first problem. */
export type CheckedArguments = { success: true; run(ctx: CommandContext): Promise<Reply> } | { success: false; issue: z.core.$ZodIssue };

/**
 * A registered command, whatever its options: the registry holds commands of many schemas, so the
 * parsed arguments never leave the definition. `check` parses with the command's own schema and
 * binds the typed result to its run.
 */
export interface CommandDefinition extends CommandBase<OptionsSchema> {
  scope: 'group' | 'anywhere';
  check(values: Record<string, unknown>): CheckedArguments;
}

/** A command is data plus one function; the same definition drives every platform and /help. */
export function defineCommand<S extends OptionsSchema>(definition: GroupCommand<S> | AnywhereCommand<S>): CommandDefinition {
  const { run: _run, ...data } = definition;
  const runWith = async (ctx: CommandContext, args: z.infer<S>): Promise<Reply> =>
    definition.scope === 'anywhere' ? definition.run(ctx, args) : definition.run({ ...ctx, group: requireGroup(ctx, `/${definition.name}`) }, args);
  return {
    ...data,
    scope: definition.scope ?? 'group',
    check(values) {
      const parsed = definition.options.safeParse(values);
      if (!parsed.success) return { success: false, issue: parsed.error.issues[0]! };
      return { success: true, run: (ctx) => runWith(ctx, parsed.data) };
    },
  };
}

/** The context's group, or the refusal that explains where `what` works. */
export function requireGroup(ctx: CommandContext, what: string): Group {
  if (ctx.group) return ctx.group;
  if (ctx.conversation.isDirect) throw new UserError('no_group', `${what} works in a writing group's channel, not in a direct message.`);
  throw new UserError(
    'no_group',
    `There's no writing group in this channel yet, so ${what} can't run here. An admin can start one with /setup timezone:<your zone>.`,
  );
}

/** Every name a command answers to: its own first, then its aliases. */
export function commandNames(command: CommandDefinition): string[] {
  return [command.name, ...(command.aliases ?? [])];
}

/** What a platform's command list says of one of the names: an alias points to the command it stands for. */
export function aliasDescription(command: CommandDefinition, name: string): string {
  return name === command.name ? command.description : `Same as /${command.name}: ${command.description}`;
}

export interface ButtonDefinition {
  /** Short: it travels in the button's id with its payload (Discord allows 100 characters). */
  action: string;
  scope?: 'group' | 'anywhere';
  run(ctx: CommandContext, payload: string): Promise<Reply>;
  /** The handler of the form this button's answer opens (`Reply.form` with the same action). */
  submit?(ctx: CommandContext, payload: string, values: FormValues): Promise<Reply>;
}

export interface ChatMessage {
  messageId: string;
  text: string;
}

/** How plain messages in a group's channel are handled (chat logging). */
export interface MessageHandler {
  onMessage(ctx: GroupContext, message: ChatMessage): Promise<Reply | void>;
  onEdit(ctx: GroupContext, message: ChatMessage): Promise<Reply | void>;
  onDelete(ctx: GroupContext, messageId: string): Promise<Reply | void>;
}
