import { hasControlCharacters } from '../core/clean-text';

/** A reader's response to an announced article. */
export interface ArticleResponse {
  id: number;
  publicationId: number;
  memberId: number;
  readerName: string;
  text: string;
  delivery: ResponseDelivery;
  firstSentAt: number;
  sentAt: number;
  /** Where it was posted (a thread), for a replacement to edit in place. */
  posted: { channelId: string; threadId: string | null; messageId: string } | null;
}

export type ResponseDelivery = 'private' | 'thread';
export const RESPONSE_DELIVERIES: readonly ResponseDelivery[] = ['private', 'thread'];

export const RESPONSE_MIN_CHARS = 10;
export const RESPONSE_MAX_CHARS = 1000;
/** A response may be replaced for this long after it was first sent. */
export const RESPONSE_REPLACE_MS = 24 * 3_600_000;
/** At most this many sendings per member within `RESPONSE_LIMIT_WINDOW_MS`. */
export const RESPONSES_PER_HOUR = 20;
export const RESPONSE_LIMIT_WINDOW_MS = 3_600_000;

/** What is wrong with a response's text, or undefined when it can be sent. Length counts characters, not UTF-16 units. */
export function responseTextProblem(text: string): string | undefined {
  const trimmed = text.trim();
  if (hasControlCharacters(trimmed.replace(/\r?\n/g, ' ')))
    return 'Your response contains control characters; please use plain text (line breaks are fine).';
  const length = [...trimmed].length;
  if (length === 0) return `Your response is empty: write ${RESPONSE_MIN_CHARS} to ${RESPONSE_MAX_CHARS} characters.`;
  if (length < RESPONSE_MIN_CHARS) return `Your response is too short (${length} characters): write ${RESPONSE_MIN_CHARS} to ${RESPONSE_MAX_CHARS} characters.`;
  if (length > RESPONSE_MAX_CHARS) return `Your response is too long (${length} characters): the limit is ${RESPONSE_MAX_CHARS}.`;
  return undefined;
}

/** Whether a response first sent at `firstSentAt` may still be replaced at `now`. */
export function isReplaceable(firstSentAt: number, now: number): boolean {
  return now - firstSentAt <= RESPONSE_REPLACE_MS;
}
