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
  SLACK_CLIENT_ID: z.string().regex(/^\d+\.\d+$/, "must be the app's Client ID (digits, a dot, digits)").optional(),
  SLACK_CLIENT_SECRET: z.string().regex(/^[0-9a-f]{16,}$/i, "must be the app's Client Secret (hex)").optional(),
  SLACK_STATE_SECRET: z.string().min(32, 'must be at least 32 characters (for example the output of openssl rand -base64 32)').optional(),
  TOKEN_ENCRYPTION_KEY: z
    .string()
    .refine((key) => /^[A-Za-z0-9+/]{43}=?$/.test(key) && Buffer.from(key, 'base64').length === 32, 'must be 32 bytes in base64 (for example the output of openssl rand -base64 32)')
    .transform((key) => Buffer.from(key, 'base64'))
    .optional(),
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
  METRICS: flag.default(false),
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
  /**
   * Set when SLACK_SIGNING_SECRET is, with SLACK_BOT_TOKEN (one workspace; Socket Mode with an app token)
   * or with SLACK_CLIENT_ID (any number of workspaces, installed through OAuth): run the Slack adapter.
   */
  slack?: Readonly<{ signingSecret: string; appToken?: string; apiUrl?: string; port: number } & ({ botToken: string; oauth?: undefined } | { botToken?: undefined; oauth: SlackOAuthConfig })>;
  /** The bot's one HTTP server: Slack's events, the group's web page. */
  http: Readonly<{ port: number; publicUrl?: string }>;
  /** Behaviour of the services: feed polling, how pages and feeds may be fetched, picture threads. */
  services: Readonly<Partial<ServiceSettings>>;
  /** Serve Prometheus metrics at /metrics (404 when off). */
  metrics: boolean;
  /** Prepended to every Slack command name (and read by `npm run slack:manifest`, which needs no tokens). */
  slackCommandPrefix?: string;
}>;

/** Slack's OAuth install flow: the app's credentials, the secret its state parameter is signed with, and the key tokens are sealed with. */
export type SlackOAuthConfig = Readonly<{
  clientId: string;
  clientSecret: string;
  stateSecret: string;
  /** AES-256-GCM key (32 bytes) for the tokens kept in the database. */
  tokenKey: Buffer;
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
  const oauth = slackOAuthOf(e);
  if (!oauth && Boolean(e.SLACK_BOT_TOKEN) !== Boolean(e.SLACK_SIGNING_SECRET)) {
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
    slack: e.SLACK_SIGNING_SECRET
      ? oauth
        ? Object.freeze({ oauth, signingSecret: e.SLACK_SIGNING_SECRET, apiUrl: e.SLACK_API_URL, port: e.PORT })
        : e.SLACK_BOT_TOKEN
          ? Object.freeze({ botToken: e.SLACK_BOT_TOKEN, signingSecret: e.SLACK_SIGNING_SECRET, appToken: e.SLACK_APP_TOKEN, apiUrl: e.SLACK_API_URL, port: e.PORT })
          : undefined
      : undefined,
    slackCommandPrefix: e.SLACK_COMMAND_PREFIX,
    http: Object.freeze({ port: e.PORT, publicUrl: e.PUBLIC_URL?.replace(/\/+$/, '') }),
    metrics: e.METRICS,
    services: Object.freeze({
      publicUrl: e.PUBLIC_URL?.replace(/\/+$/, ''),
      pageSecret: e.DASHBOARD_SECRET,
      feedPollMs: e.FEED_POLL_MINUTES * 60_000,
      fetchPolicy: fetchPolicy({ allowPrivateHosts: e.FEEDS_ALLOW_PRIVATE_HOSTS }),
      pictures: { ...DEFAULT_PICTURE_SETTINGS, threads: e.PICTURE_THREADS },
    }),
  });
}

type Parsed = z.infer<typeof schema>;

/**
 * OAuth mode, when SLACK_CLIENT_ID is set: every variable it needs, and none of single-workspace mode's.
 * Tokens are kept in the database, so they are never kept there in the clear: no key, no start.
 */
function slackOAuthOf(e: Parsed): SlackOAuthConfig | undefined {
  const oauthOnly = (['SLACK_CLIENT_SECRET', 'SLACK_STATE_SECRET'] as const).find((name) => e[name]);
  if (!e.SLACK_CLIENT_ID) {
    if (oauthOnly) throw new ConfigError(`Configuration error: SLACK_CLIENT_ID must be set too: ${oauthOnly} is only used to install the app in workspaces through OAuth.`);
    return undefined;
  }
  const missing = (['SLACK_CLIENT_SECRET', 'SLACK_STATE_SECRET', 'SLACK_SIGNING_SECRET', 'TOKEN_ENCRYPTION_KEY'] as const).find((name) => !e[name]);
  if (missing === 'TOKEN_ENCRYPTION_KEY')
    throw new ConfigError('Configuration error: TOKEN_ENCRYPTION_KEY must be set too: installing in workspaces through OAuth keeps their tokens in the database, encrypted with it (openssl rand -base64 32).');
  if (missing) throw new ConfigError(`Configuration error: ${missing} must be set too: installing in workspaces through OAuth needs SLACK_CLIENT_ID, SLACK_CLIENT_SECRET, SLACK_STATE_SECRET and SLACK_SIGNING_SECRET.`);
  if (e.SLACK_BOT_TOKEN) throw new ConfigError('Configuration error: SLACK_BOT_TOKEN must be unset with SLACK_CLIENT_ID: each workspace that installs the app gets its own token.');
  if (e.SLACK_APP_TOKEN) throw new ConfigError('Configuration error: SLACK_APP_TOKEN must be unset with SLACK_CLIENT_ID: installing through OAuth is served over HTTP, not Socket Mode.');
  return Object.freeze({ clientId: e.SLACK_CLIENT_ID, clientSecret: e.SLACK_CLIENT_SECRET!, stateSecret: e.SLACK_STATE_SECRET!, tokenKey: e.TOKEN_ENCRYPTION_KEY! });
}

/** Loads ./.env into the environment if it exists; variables already set win. */
export function loadDotEnv(path = '.env'): void {
  if (existsSync(path)) process.loadEnvFile(path);
}
