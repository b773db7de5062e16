import { LogLevel, type Logger } from '@slack/bolt';

export interface LogEntry {
  level: LogLevel;
  message: string;
}

/**
 * A Bolt logger that prints nothing and keeps every line, so tests stay quiet and can still assert on what
 * Bolt, its WebClient and its Socket Mode client reported (all three share the logger given to the App).
 */
export class QuietLogger implements Logger {
  readonly entries: LogEntry[] = [];
  private level = LogLevel.DEBUG;

  debug(...msg: unknown[]): void {
    this.keep(LogLevel.DEBUG, msg);
  }

  info(...msg: unknown[]): void {
    this.keep(LogLevel.INFO, msg);
  }

  warn(...msg: unknown[]): void {
    this.keep(LogLevel.WARN, msg);
  }

  error(...msg: unknown[]): void {
    this.keep(LogLevel.ERROR, msg);
  }

  // Bolt sets the level it was configured with; keep recording everything regardless.
  setLevel(level: LogLevel): void {
    this.level = level;
  }

  getLevel(): LogLevel {
    return this.level;
  }

  setName(): void {}

  /** The lines logged at `level`. */
  at(level: LogLevel): string[] {
    return this.entries.filter((e) => e.level === level).map((e) => e.message);
  }

  private keep(level: LogLevel, msg: unknown[]): void {
    this.entries.push({ level, message: msg.map(describe).join(' ') });
  }
}

function describe(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value instanceof Error) return value.message;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
