import type { z } from 'zod';
import type { Group } from '../domain/group';
import type { Services } from '../services/index';
import type { Clock } from '../core/clock';
import type { Actor, Conversation } from '../core/invocation';
import type { OptionsSchema } from './options';
import type { Reply } from '../core/reply';

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
  description: string;
  options: S;
  /** Options that may be given without `name:`, in this order (Slack and console text). */
  positional?: readonly (keyof z.infer<S> & string)[];
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

export type CommandDefinition<S extends OptionsSchema = OptionsSchema> = GroupCommand<S> | AnywhereCommand<S>;

/** A command is data plus one function; the same definition drives every platform and /help. */
export function defineCommand<S extends OptionsSchema>(definition: GroupCommand<S> | AnywhereCommand<S>): CommandDefinition {
  return definition as unknown as CommandDefinition;
}

export interface ButtonDefinition {
  /** Short: it travels in the button's id with its payload (Discord allows 100 characters). */
  action: string;
  scope?: 'group' | 'anywhere';
  run(ctx: CommandContext, payload: string): Promise<Reply>;
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
