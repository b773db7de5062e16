import { userMention } from './format';
import type { Conversation } from './invocation';

export interface ReplyButton {
  /** Routed back to the handler registered for this action; ignored for link buttons. */
  action: string;
  payload?: string;
  label: string;
  /** A link button: opens the URL instead of calling the bot. */
  url?: string;
}

/** A picture shown with the reply, with its text alternative for screen readers. */
export interface ReplyImage {
  fileName: string;
  png: Uint8Array;
  alt: string;
}

/**
 * A form a button opens instead of answering (a Discord modal, a Slack modal, the console's next
 * line): one text field and one choice. It is sent back as a `form` invocation with `action` and
 * `payload`, and the values filled in.
 */
export interface ReplyForm {
  action: string;
  payload: string;
  title: string;
  text: { label: string; placeholder?: string; minLength: number; maxLength: number; value?: string };
  /** One of a few options; the first is the default. */
  choice: { label: string; options: { value: string; label: string }[] };
}

export interface ReplyFile {
  fileName: string;
  mimeType: string;
  content: Uint8Array | string;
}

/**
 * What a command answers, in platform-neutral form; adapters decide how it looks.
 * `text` is plain text with three pieces of markup every adapter renders: `<@userId>` (a person),
 * `<#channelId>` (a channel) and `<t:unixSeconds:R>` (a relative time). Text a user typed goes
 * through `plain()` (src/core/format.ts) so it cannot forge them.
 */
export interface Reply {
  /** Always present and complete: the fallback every platform can show. */
  text: string;
  title?: string;
  fields?: { label: string; value: string }[];
  buttons?: ReplyButton[];
  /** Pictures shown with the reply, the first one most prominently. */
  images?: ReplyImage[];
  files?: ReplyFile[];
  /** private = ephemeral on Discord and Slack, shown only to the person who asked. */
  visibility?: 'private' | 'channel';
  /** Opens this form for the person who pressed the button; `text` is what a platform without forms shows. */
  form?: ReplyForm;
  /** For chat messages: acknowledge by reacting to the message with this emoji instead of answering. */
  reaction?: string;
  /** The only people (and Discord roles) this message may notify; everyone else is shown, never pinged. */
  pings?: { users?: string[]; roles?: string[] };
}

/**
 * The reply's pings as mention markup (people, then roles where the platform has them) that its text
 * does not already name: platforms notify only mentions they are shown, so a renderer puts these in
 * front of the text, and writes none twice.
 */
export function unnamedPings(reply: Pick<Reply, 'text' | 'pings'>, withRoles = true): string[] {
  const mentions = [...(reply.pings?.users ?? []).map(userMention), ...(withRoles ? (reply.pings?.roles ?? []).map((id) => `<@&${id}>`) : [])];
  return mentions.filter((mention) => !reply.text.includes(mention));
}

/**
 * The part of `text` a rich renderer still has to show once it shows `title` and `fields` on their
 * own: the text without the title line and the "label: value" lines that repeat a field.
 */
export function richBody(reply: Reply): string {
  const repeated = new Set([reply.title, ...(reply.fields ?? []).map((f) => `${f.label}: ${f.value}`)]);
  return reply.text
    .split('\n')
    .filter((line) => !repeated.has(line))
    .join('\n')
    .trim();
}

/** A message the bot posted, so it can be edited later. */
export interface MessageRef {
  conversation: Conversation;
  messageId: string;
}

/** The answer to anything that went wrong on the bot's side (a bug, not a mistake the person can fix). */
export const APOLOGY = 'Sorry, something went wrong on my side and nothing was changed. Please try again in a moment.';

export function privateReply(text: string, extra: Omit<Reply, 'text' | 'visibility'> = {}): Reply {
  return { text, ...extra, visibility: 'private' };
}

export function channelReply(text: string, extra: Omit<Reply, 'text' | 'visibility'> = {}): Reply {
  return { text, ...extra, visibility: 'channel' };
}
