import type { Conversation } from './invocation';

export interface ReplyButton {
  /** Routed back to the handler registered for this action; ignored for link buttons. */
  action: string;
  payload?: string;
  label: string;
  /** A link button: opens the URL instead of calling the bot. */
  url?: string;
}

export interface ReplyFile {
  fileName: string;
  mimeType: string;
  content: Uint8Array | string;
}

/** What a command answers, in platform-neutral form; adapters decide how it looks. */
export interface Reply {
  /** Always present: the fallback every platform can show. */
  text: string;
  title?: string;
  fields?: { label: string; value: string }[];
  buttons?: ReplyButton[];
  image?: { fileName: string; png: Uint8Array; alt: string };
  files?: ReplyFile[];
  /** private = ephemeral on Discord and Slack, shown only to the person who asked. */
  visibility?: 'private' | 'channel';
  /** For chat messages: acknowledge by reacting to the message with this emoji instead of answering. */
  reaction?: string;
}

/** A message the bot posted, so it can be edited later. */
export interface MessageRef {
  conversation: Conversation;
  messageId: string;
}

export function privateReply(text: string, extra: Omit<Reply, 'text' | 'visibility'> = {}): Reply {
  return { text, ...extra, visibility: 'private' };
}

export function channelReply(text: string, extra: Omit<Reply, 'text' | 'visibility'> = {}): Reply {
  return { text, ...extra, visibility: 'channel' };
}
