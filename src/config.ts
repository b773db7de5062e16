import { existsSync } from 'node:fs';
import { userInfo } from 'node:os';
import { z } from 'zod';

const snowflake = z.string().regex(/^\d{17,20}$/, 'must be a Discord id (17 to 20 digits)');
const flag = z
  .enum(['true', 'false', '1', '0', 'on', 'off', 'yes', 'no'], { error: 'must be true or false' })
  .transform((value) => ['true', '1', 'on', 'yes'].includes(value));

/** Every setting the bot reads, from the environment (and a .env file); documented in .env.example. */
const schema = z.object({
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\/\S+$/, 'must be a postgres:// URL (leave it unset to use SQLite)')
    .optional(),
  SQLITE_PATH: z.string().min(1).default('./data/bot.sqlite'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional(),
  CONSOLE_USER: z
    .string()
    .min(1)
    .max(64)
    .default(() => safeUserName()),
  DISCORD_TOKEN: z.string().min(20, 'looks too short to be a bot token').optional(),
  DISCORD_APPLICATION_ID: snowflake.optional(),
  DISCORD_GUILD_ID: snowflake.optional(),
  DISCORD_API_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
  DISCORD_CHAT_LOGGING: flag.default(true),
  DISCORD_SHARDS: z
    .string()
    .regex(/^[1-9]\d{0,3}$/, 'must be a whole number of shards from 1')
    .transform(Number)
    .optional(),
});

/** The variables the bot reads, for documentation checks. */
export const CONFIG_VARIABLES = Object.keys(schema.shape);

export type Config = Readonly<{
  database: { postgresUrl: string } | { sqlitePath: string };
  /** Unset: the entry point picks (quiet in the terminal console, info when serving platforms). */
  logLevel: z.infer<typeof schema>['LOG_LEVEL'];
  consoleUser: string;
  /** Set when DISCORD_TOKEN is: run the Discord adapter. */
  discord?: Readonly<{
    token: string;
    applicationId?: string;
    guildId?: string;
    apiUrl?: string;
    chatLogging: boolean;
    /** For `npm run start:sharded`; unset asks Discord for its recommendation. */
    shards?: number;
  }>;
}>;

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

function safeUserName(): string {
  try {
    return userInfo().username || 'you';
  } catch {
    return 'you';
  }
}

/**
 * Parses the configuration once. A bad or missing value throws a ConfigError whose message is one
 * line naming the variable and what it accepts; values themselves are never echoed (they may be secret).
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // An empty value (FOO= in .env) means "not set".
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== ''));
  const parsed = schema.safeParse(present);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const name = String(issue.path[0]);
    const accepted = issue.code === 'invalid_value' && !issue.message.startsWith('must') ? `must be one of ${(issue as { values: unknown[] }).values.join(', ')}` : issue.message;
    throw new ConfigError(`Configuration error: ${name} ${accepted}.`);
  }
  const e = parsed.data;
  return Object.freeze({
    database: Object.freeze(e.DATABASE_URL ? { postgresUrl: e.DATABASE_URL } : { sqlitePath: e.SQLITE_PATH }),
    logLevel: e.LOG_LEVEL,
    consoleUser: e.CONSOLE_USER,
    discord: e.DISCORD_TOKEN
      ? Object.freeze({
          token: e.DISCORD_TOKEN,
          applicationId: e.DISCORD_APPLICATION_ID,
          guildId: e.DISCORD_GUILD_ID,
          apiUrl: e.DISCORD_API_URL,
          chatLogging: e.DISCORD_CHAT_LOGGING,
          shards: e.DISCORD_SHARDS,
        })
      : undefined,
  });
}

/** Loads ./.env into the environment if it exists; variables already set win. */
export function loadDotEnv(path = '.env'): void {
  if (existsSync(path)) process.loadEnvFile(path);
}
