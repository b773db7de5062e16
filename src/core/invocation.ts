/** Where an inbound event came from; the console is a platform like the others. */
export type Platform = 'discord' | 'slack' | 'console';

/** A chat channel (or thread) on one platform, inside one workspace (Discord server, Slack team). */
export interface Conversation {
  platform: Platform;
  workspaceId: string;
  channelId: string;
  threadId?: string;
  /** A direct message with the bot, where no group can live. */
  isDirect?: boolean;
}

/** Who is speaking. `isAdmin` is what the platform says (Manage Server, workspace admin/owner). */
export interface Actor {
  platform: Platform;
  workspaceId: string;
  userId: string;
  displayName: string;
  isAdmin: boolean;
}

/**
 * Arguments as the platform delivers them: Discord sends typed option values,
 * Slack and the console send one line of text that the router parses.
 */
export type CommandArgs = { text: string } | { values: Record<string, unknown> };

/** What a form (`ReplyForm`) comes back with: its text field and the value of its choice. */
export interface FormValues {
  text: string;
  choice: string;
}

interface InvocationBase {
  actor: Actor;
  conversation: Conversation;
  /** Unique per delivery at the source (interaction id, event id, message id, console line): a retry repeats it. */
  idempotencyKey: string;
}

/** One inbound event, translated by an adapter and nothing more. */
export type Invocation =
  | (InvocationBase & { kind: 'command'; name: string; args: CommandArgs })
  | (InvocationBase & { kind: 'button'; action: string; payload: string })
  /** A form sent back (a Discord modal, a Slack view, the console's next line), with what was filled in. */
  | (InvocationBase & { kind: 'form'; action: string; payload: string; values: FormValues })
  | (InvocationBase & { kind: 'message'; messageId: string; text: string })
  | (InvocationBase & { kind: 'message-edited'; messageId: string; text: string })
  | (InvocationBase & { kind: 'message-deleted'; messageId: string });
