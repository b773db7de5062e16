import { type Logger as BoltLogger, LogLevel } from '@slack/bolt';
import type { Logger } from '../../logger';

/** Bolt's logger interface over our pino logger, so Bolt's messages land in the same structured log. */
export function boltLogger(logger: Logger): BoltLogger {
  let level = LogLevel.INFO;
  // Slack tokens (xoxb-, xoxp-, xoxe-, xapp-) are blanked if a library ever puts one in a message.
  const text = (parts: unknown[]) =>
    parts
      .map((p) => (typeof p === 'string' ? p : p instanceof Error ? p.message : JSON.stringify(p)))
      .join(' ')
      .replace(/\b(xox[a-z]|xapp)-[A-Za-z0-9-]+/g, '$1-[secret]');
  return {
    debug: (...msg) => logger.debug(text(msg)),
    info: (...msg) => logger.info(text(msg)),
    warn: (...msg) => logger.warn(text(msg)),
    error: (...msg) => logger.error(text(msg)),
    setLevel: (next) => {
      level = next;
    },
    getLevel: () => level,
    setName: () => undefined,
  };
}
