import { randomBytes } from 'node:crypto';

const DISCORD_EPOCH = 1_420_070_400_000n;
let lastTimestamp = 0n;
let increment = 0n;

/** A real-looking, strictly increasing snowflake, so discord.js can read creation times and sort by id. */
export function snowflake(): string {
  let timestamp = BigInt(Date.now()) - DISCORD_EPOCH;
  if (timestamp <= lastTimestamp) {
    timestamp = lastTimestamp;
    increment += 1n;
    if (increment > 4095n) {
      timestamp += 1n;
      increment = 0n;
    }
  } else {
    increment = 0n;
  }
  lastTimestamp = timestamp;
  return ((timestamp << 22n) | (1n << 17n) | increment).toString();
}

export function isSnowflake(value: unknown): value is string {
  return typeof value === 'string' && /^\d{1,20}$/.test(value);
}

/** Interaction tokens are long opaque url-safe strings; they appear in webhook paths. */
export function interactionToken(): string {
  return `aW50ZXJhY3Rpb24${randomBytes(48).toString('base64url')}`;
}

export function discordTimestamp(at: number = Date.now()): string {
  return new Date(at).toISOString().replace('Z', '+00:00');
}
