import { randomBytes } from 'node:crypto';

/** The workspace a FakeSlack pretends to be unless told otherwise; the payload builders default to it too. */
export const FAKE_SLACK_DEFAULTS = {
  teamId: 'T0FAKETEAM',
  teamDomain: 'fake-team',
  teamName: 'Fake Team',
  appId: 'A0FAKEAPP',
  botUserId: 'U0FAKEBOT',
  botId: 'B0FAKEBOT',
  botName: 'inkwell',
  userId: 'U0FAKEUSER',
  userName: 'writer',
  channelId: 'C0FAKECHAN',
  channelName: 'writing',
  /** The legacy verification token Slack still puts in every payload. */
  verificationToken: 'fake-verification-token',
} as const;

const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** An id shaped like Slack's: a type letter followed by upper-case letters and digits. */
export function slackId(prefix: string, length = 10): string {
  const bytes = randomBytes(length);
  let id = prefix;
  for (const byte of bytes) id += ID_ALPHABET[byte % ID_ALPHABET.length];
  return id;
}

let lastTsMicros = 0;

/** A message timestamp ("1712345678.000123"), strictly increasing within the process like Slack's per channel. */
export function messageTs(): string {
  lastTsMicros = Math.max(Date.now() * 1000, lastTsMicros + 1);
  return `${Math.floor(lastTsMicros / 1_000_000)}.${String(lastTsMicros % 1_000_000).padStart(6, '0')}`;
}

/** A trigger id as Slack formats them ("1234567890123.1234567890.0123456789abcdef0123456789abcdef"). */
export function triggerId(): string {
  const digits = (n: number) => Array.from(randomBytes(n), (b) => String(b % 10)).join('');
  return `${digits(13)}.${digits(10)}.${randomBytes(16).toString('hex')}`;
}

/** Seconds since the epoch, as Slack's timestamps and the signature header count them. */
export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
