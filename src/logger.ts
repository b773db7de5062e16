import pino, { type Logger } from 'pino';

export type { Logger };

/** Structured logs on stderr, so stdout stays the console group's conversation. */
export function createLogger(level: string): Logger {
  return pino(
    {
      level,
      // Belt and braces: secrets are never logged on purpose, and these paths are blanked if one slips in.
      redact: { paths: ['token', '*.token', 'secret', '*.secret', 'headers.authorization', '*.headers.authorization'], censor: '[secret]' },
    },
    pino.destination(2),
  );
}
