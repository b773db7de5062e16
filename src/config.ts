import { existsSync } from 'node:fs';
import { userInfo } from 'node:os';
import { z } from 'zod';
import { fetchPolicy } from './net/safe-fetch';
import { DEFAULT_PICTURE_SETTINGS } from './render/picture-pool';
import type { ServiceSettings } from './services/service-deps';

const snowflake = z.string().regex(/^\d{17,20}$/, 'must be a Discord id (17 to 20 digits)');
/** Words read without regard to letter case (`INFO`, `TRUE`, `Yes`): harmless, and what people type. */
const caseless = <const T extends readonly [string, ...string[]]>(values: T, error?: string) =>
  z
    .string()
    .transform((value) => value.trim().toLowerCase())
    .pipe(z.enum(values, error ? { error } : undefined));
const flag = caseless(['true', 'false', '1', '0', 'on', 'off', 'yes', 'no'], 'must be true or false').transform((value) =>
  ['true', '1', 'on', 'yes'].includes(value),
);

/** Every setting the bot reads, from the environment (and a .env file); documented in .env.example. */
const schema = z.object({
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\/\S+$/, 'must be a postgres:// URL (leave it unset to use SQLite)')
    .optional(),
  SQLITE_PATH: z.string().min(1).default('./data/bot.sqlite'),
  LOG_LEVEL: caseless(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional(),
  CONSOLE_USER: z
    .string()
    .min(1)
    .max(64)
    .default(() => safeUserName()),
  CONSOLE_FILES_DIR: z.string().min(1).default('./data/console-files'),
  DISCORD_TOKEN: z.string().min(20, 'looks too short to be a bot token').optional(),
  DISCORD_APPLICATION_ID: snowflake.optional(),
  DISCORD_GUILD_ID: snowflake.optional(),
  DISCORD_API_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
  DISCORD_CHAT_LOGGING: flag.optional(),
  DISCORD_PUBLIC_KEY: z
    .string()
    .regex(/^[0-9a-f]{64}$/i, "must be the application's public key from the developer portal (64 hex digits)")
    .optional(),
  DISCORD_GATEWAY: flag.default(true),
  DISCORD_SHARDS: z
    .string()
    .regex(/^[1-9]\d{0,3}$/, 'must be a whole number of shards from 1')
    .transform(Number)
    .optional(),
  SLACK_BOT_TOKEN: z.string().regex(/^xoxb-\S+$/, 'must be a bot token starting with xoxb-').optional(),
  SLACK_SIGNING_SECRET: z.string().regex(/^[0-9a-f]{16,}$/i, 'must be the app signing secret (hex)').optional(),
  SLACK_APP_TOKEN: z.string().regex(/^xapp-\S+$/, 'must be an app-level token starting with xapp-').optional(),
  SLACK_API_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
  SLACK_COMMAND_PREFIX: z
    .string()
    .regex(/^[a-z0-9_-]{1,16}$/, 'must be lowercase letters, digits, - or _ (up to 16)')
    .optional(),
  FEED_POLL_MINUTES: z
    .string()
    .regex(/^\d{1,4}$/, 'must be a whole number of minutes')
    .transform(Number)
    .refine((minutes) => minutes >= 1 && minutes <= 1440, 'must be from 1 to 1440 minutes')
    .default(5),
  FEEDS_ALLOW_PRIVATE_HOSTS: flag.default(false),
  PICTURE_THREADS: z
    .string()
    .regex(/^\d{1,2}$/, 'must be a whole number of threads')
    .transform(Number)
    .refine((threads) => threads >= 1 && threads <= 16, 'must be from 1 to 16 threads')
    .default(DEFAULT_PICTURE_SETTINGS.threads),
  PORT: z
    .string()
    .regex(/^\d{1,5}$/, 'must be a port number')
    .transform(Number)
    .refine((port) => port < 65536, 'must be a port number up to 65535 (0 picks a free one)')
    .default(3000),
  PUBLIC_URL: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL such as https://inkwell.example.org' })
    .refine((url) => !/[?#]/.test(url) && /^https?:\/\/[^/]+\/?$/.test(url), 'must be an origin only, such as https://inkwell.example.org (no path, query or fragment)')
    .optional(),
  DASHBOARD_SECRET: z.string().min(32, 'must be at least 32 characters (for example the output of openssl rand -base64 32)').optional(),
});

/** The variables the bot reads, for documentation checks. */
export const CONFIG_VARIABLES = Object.keys(schema.shape);

export type Config = Readonly<{
  database: { postgresUrl: string } | { sqlitePath: string };
  /** Unset: the entry point picks (quiet in the terminal console, info when serving platforms). */
  logLevel: z.infer<typeof schema>['LOG_LEVEL'];
  consoleUser: string;
  /** Where the console saves the files and pictures replies carry. */
  consoleFilesDir: string;
  /** Set when DISCORD_TOKEN is: run the Discord adapter. */
  discord?: Readonly<{
    token: string;
    applicationId?: string;
    guildId?: string;
    apiUrl?: string;
    chatLogging: boolean;
    /** False: no gateway connection (commands and buttons come over HTTP only, no chat logging, posts over REST). */
    gateway: boolean;
    /** Set: serve Discord's interactions endpoint, POST /discord/interactions, checking signatures with this key. */
    publicKey?: string;
    /** For `npm run start:sharded`; unset asks Discord for its recommendation. */
    shards?: number;
  }>;
  /** Set when SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET are: run the Slack adapter (Socket Mode with an app token). */
  slack?: Readonly<{ botToken: string; signingSecret: string; appToken?: string; apiUrl?: string; port: number }>;
  /** The bot's one HTTP server: Slack's events, the group's web page. */
  http: Readonly<{ port: number; publicUrl?: string }>;
  /** Behaviour of the services: feed polling, how pages and feeds may be fetched, picture threads. */
  services: Readonly<Partial<ServiceSettings>>;
  /** Prepended to every Slack command name (and read by `npm run slack:manifest`, which needs no tokens). */
  slackCommandPrefix?: string;
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
  if (Boolean(e.SLACK_BOT_TOKEN) !== Boolean(e.SLACK_SIGNING_SECRET)) {
    const missing = e.SLACK_BOT_TOKEN ? 'SLACK_SIGNING_SECRET' : 'SLACK_BOT_TOKEN';
    throw new ConfigError(`Configuration error: ${missing} must be set too: Slack needs both SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET.`);
  }
  if ((e.DISCORD_PUBLIC_KEY || !e.DISCORD_GATEWAY) && !e.DISCORD_TOKEN)
    throw new ConfigError(`Configuration error: DISCORD_TOKEN must be set too: ${e.DISCORD_PUBLIC_KEY ? 'DISCORD_PUBLIC_KEY' : 'DISCORD_GATEWAY=false'} serves Discord, which needs the bot token.`);
  if (!e.DISCORD_GATEWAY && !e.DISCORD_PUBLIC_KEY)
    throw new ConfigError('Configuration error: DISCORD_PUBLIC_KEY must be set too: with DISCORD_GATEWAY=false commands and buttons arrive only over HTTP, at the interactions endpoint.');
  if (!e.DISCORD_GATEWAY && e.DISCORD_CHAT_LOGGING)
    throw new ConfigError('Configuration error: DISCORD_CHAT_LOGGING=true needs the gateway: Discord sends chat messages only there (leave DISCORD_GATEWAY unset, or set DISCORD_CHAT_LOGGING=false).');
  if (!e.DISCORD_GATEWAY && e.DISCORD_SHARDS)
    throw new ConfigError('Configuration error: DISCORD_SHARDS needs the gateway: shards are gateway connections (leave DISCORD_GATEWAY or DISCORD_SHARDS unset).');
  if (e.SLACK_APP_TOKEN && !e.SLACK_BOT_TOKEN)
    throw new ConfigError('Configuration error: SLACK_BOT_TOKEN must be set too: Socket Mode needs the bot token as well as SLACK_APP_TOKEN.');
  return Object.freeze({
    database: Object.freeze(e.DATABASE_URL ? { postgresUrl: e.DATABASE_URL } : { sqlitePath: e.SQLITE_PATH }),
    logLevel: e.LOG_LEVEL,
    consoleUser: e.CONSOLE_USER,
    consoleFilesDir: e.CONSOLE_FILES_DIR,
    discord: e.DISCORD_TOKEN
      ? Object.freeze({
          token: e.DISCORD_TOKEN,
          applicationId: e.DISCORD_APPLICATION_ID,
          guildId: e.DISCORD_GUILD_ID,
          apiUrl: e.DISCORD_API_URL,
          chatLogging: e.DISCORD_GATEWAY && (e.DISCORD_CHAT_LOGGING ?? true),
          gateway: e.DISCORD_GATEWAY,
          publicKey: e.DISCORD_PUBLIC_KEY,
          shards: e.DISCORD_SHARDS,
        })
      : undefined,
    slack:
      e.SLACK_BOT_TOKEN && e.SLACK_SIGNING_SECRET
        ? Object.freeze({
            botToken: e.SLACK_BOT_TOKEN,
            signingSecret: e.SLACK_SIGNING_SECRET,
            appToken: e.SLACK_APP_TOKEN,
            apiUrl: e.SLACK_API_URL,
            port: e.PORT,
          })
        : undefined,
    slackCommandPrefix: e.SLACK_COMMAND_PREFIX,
    http: Object.freeze({ port: e.PORT, publicUrl: e.PUBLIC_URL?.replace(/\/+$/, '') }),
    services: Object.freeze({
      publicUrl: e.PUBLIC_URL?.replace(/\/+$/, ''),
      pageSecret: e.DASHBOARD_SECRET,
      feedPollMs: e.FEED_POLL_MINUTES * 60_000,
      fetchPolicy: fetchPolicy({ allowPrivateHosts: e.FEEDS_ALLOW_PRIVATE_HOSTS }),
      pictures: { ...DEFAULT_PICTURE_SETTINGS, threads: e.PICTURE_THREADS },
    }),
  });
}

/** Loads ./.env into the environment if it exists; variables already set win. */
export function loadDotEnv(path = '.env'): void {
  if (existsSync(path)) process.loadEnvFile(path);
}
