import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config';

describe('configuration', () => {
  it('GIVEN words in any letter case THEN reads them as their lower-case selves', () => {
    const config = loadConfig({ LOG_LEVEL: 'INFO', FEEDS_ALLOW_PRIVATE_HOSTS: 'TRUE', DISCORD_TOKEN: 'x'.repeat(30), DISCORD_CHAT_LOGGING: 'No' });
    expect(config.logLevel).toBe('info');
    expect(config.services.fetchPolicy?.isBlockedAddress('127.0.0.1')).toBe(false);
    expect(config.discord?.chatLogging).toBe(false);
  });

  it('GIVEN a word that is no flag THEN names the variable and what it accepts', () => {
    expect(() => loadConfig({ FEEDS_ALLOW_PRIVATE_HOSTS: 'maybe' })).toThrow(new ConfigError('Configuration error: FEEDS_ALLOW_PRIVATE_HOSTS must be true or false.'));
    expect(() => loadConfig({ LOG_LEVEL: 'loud' })).toThrow(
      new ConfigError('Configuration error: LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent.'),
    );
  });
});

describe('METRICS', () => {
  it('GIVEN nothing THEN off; GIVEN a flag in any spelling THEN read as one; GIVEN another word THEN names the variable', () => {
    expect(loadConfig({}).metrics).toBe(false);
    expect(loadConfig({ METRICS: 'TRUE' }).metrics).toBe(true);
    expect(loadConfig({ METRICS: 'off' }).metrics).toBe(false);
    expect(() => loadConfig({ METRICS: 'prometheus' })).toThrow(new ConfigError('Configuration error: METRICS must be true or false.'));
  });
});

describe('PICTURE_THREADS', () => {
  it('GIVEN nothing THEN one picture thread; GIVEN a number THEN that many', () => {
    expect(loadConfig({}).services.pictures?.threads).toBe(1);
    expect(loadConfig({ PICTURE_THREADS: '3' }).services.pictures).toMatchObject({ threads: 3, queue: 64 });
  });

  it('GIVEN a count out of range or not a number THEN names the variable and what it accepts', () => {
    expect(() => loadConfig({ PICTURE_THREADS: '0' })).toThrow(new ConfigError('Configuration error: PICTURE_THREADS must be from 1 to 16 threads.'));
    expect(() => loadConfig({ PICTURE_THREADS: 'two' })).toThrow(new ConfigError('Configuration error: PICTURE_THREADS must be a whole number of threads.'));
  });
});

describe('Slack installed through OAuth', () => {
  const key = Buffer.alloc(32, 7).toString('base64');
  const oauth = {
    SLACK_CLIENT_ID: '1111111111.2222222222',
    SLACK_CLIENT_SECRET: '0123456789abcdef0123456789abcdef',
    SLACK_STATE_SECRET: 's'.repeat(32),
    SLACK_SIGNING_SECRET: 'abcdef0123456789abcdef0123456789',
    TOKEN_ENCRYPTION_KEY: key,
  };

  it('GIVEN the client id, secrets and key THEN Slack runs in OAuth mode with the key as 32 bytes, and no bot token', () => {
    const { slack } = loadConfig(oauth);
    expect(slack?.botToken).toBeUndefined();
    expect(slack?.oauth).toMatchObject({ clientId: oauth.SLACK_CLIENT_ID, clientSecret: oauth.SLACK_CLIENT_SECRET, stateSecret: oauth.SLACK_STATE_SECRET });
    expect(slack?.oauth?.tokenKey).toEqual(Buffer.alloc(32, 7));
  });

  it('GIVEN no TOKEN_ENCRYPTION_KEY THEN start-up is refused in one line saying why', () => {
    const { TOKEN_ENCRYPTION_KEY: _key, ...withoutKey } = oauth;
    expect(() => loadConfig(withoutKey)).toThrow(
      new ConfigError(
        'Configuration error: TOKEN_ENCRYPTION_KEY must be set too: installing in workspaces through OAuth keeps their tokens in the database, encrypted with it (openssl rand -base64 32).',
      ),
    );
  });

  it('GIVEN a key that is not 32 bytes of base64 THEN it is named, and its value is not echoed', () => {
    for (const bad of [Buffer.alloc(16).toString('base64'), Buffer.alloc(32).toString('hex'), 'not a key at all']) {
      const error = (() => {
        try {
          loadConfig({ ...oauth, TOKEN_ENCRYPTION_KEY: bad });
        } catch (e) {
          return e as Error;
        }
      })();
      expect(error).toEqual(new ConfigError('Configuration error: TOKEN_ENCRYPTION_KEY must be 32 bytes in base64 (for example the output of openssl rand -base64 32).'));
      expect(error?.message).not.toContain(bad);
    }
  });

  it('GIVEN a piece missing or one of single-workspace mode beside it THEN the variable is named', () => {
    const { SLACK_STATE_SECRET: _state, ...withoutState } = oauth;
    expect(() => loadConfig(withoutState)).toThrow(/^Configuration error: SLACK_STATE_SECRET must be set too/);
    const { SLACK_SIGNING_SECRET: _signing, ...withoutSigning } = oauth;
    expect(() => loadConfig(withoutSigning)).toThrow(/^Configuration error: SLACK_SIGNING_SECRET must be set too/);
    expect(() => loadConfig({ ...oauth, SLACK_BOT_TOKEN: 'xoxb-1-2-3' })).toThrow(/^Configuration error: SLACK_BOT_TOKEN must be unset with SLACK_CLIENT_ID/);
    expect(() => loadConfig({ ...oauth, SLACK_APP_TOKEN: 'xapp-1-2-3' })).toThrow(/^Configuration error: SLACK_APP_TOKEN must be unset with SLACK_CLIENT_ID/);
    expect(() => loadConfig({ SLACK_CLIENT_SECRET: oauth.SLACK_CLIENT_SECRET })).toThrow(/^Configuration error: SLACK_CLIENT_ID must be set too/);
    expect(() => loadConfig({ ...oauth, SLACK_CLIENT_ID: 'abc' })).toThrow(new ConfigError("Configuration error: SLACK_CLIENT_ID must be the app's Client ID (digits, a dot, digits)."));
  });

  it('GIVEN single-workspace settings THEN they work as before, with no OAuth', () => {
    const { slack } = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1-2-3', SLACK_SIGNING_SECRET: oauth.SLACK_SIGNING_SECRET });
    expect(slack).toMatchObject({ botToken: 'xoxb-1-2-3', signingSecret: oauth.SLACK_SIGNING_SECRET });
    expect(slack?.oauth).toBeUndefined();
  });
});

describe('Discord over HTTP', () => {
  const token = { DISCORD_TOKEN: 'x'.repeat(30) };
  const publicKey = 'ab'.repeat(32);

  it('GIVEN a public key THEN serves the endpoint beside the gateway; GIVEN DISCORD_GATEWAY=false too THEN no gateway and no chat logging', () => {
    expect(loadConfig({ ...token, DISCORD_PUBLIC_KEY: publicKey }).discord).toMatchObject({ gateway: true, chatLogging: true, publicKey });
    expect(loadConfig({ ...token, DISCORD_PUBLIC_KEY: publicKey, DISCORD_GATEWAY: 'false' }).discord).toMatchObject({ gateway: false, chatLogging: false, publicKey });
    expect(loadConfig(token).discord).toMatchObject({ gateway: true, publicKey: undefined });
  });

  it('GIVEN a combination that cannot work THEN one line naming what is missing', () => {
    const cases: [Record<string, string>, string][] = [
      [{ ...token, DISCORD_GATEWAY: 'false' }, 'Configuration error: DISCORD_PUBLIC_KEY must be set too: with DISCORD_GATEWAY=false commands and buttons arrive only over HTTP, at the interactions endpoint.'],
      [{ DISCORD_PUBLIC_KEY: publicKey }, 'Configuration error: DISCORD_TOKEN must be set too: DISCORD_PUBLIC_KEY serves Discord, which needs the bot token.'],
      [{ ...token, DISCORD_PUBLIC_KEY: 'not-hex' }, "Configuration error: DISCORD_PUBLIC_KEY must be the application's public key from the developer portal (64 hex digits)."],
      [{ ...token, DISCORD_PUBLIC_KEY: publicKey, DISCORD_GATEWAY: 'false', DISCORD_CHAT_LOGGING: 'true' }, 'Configuration error: DISCORD_CHAT_LOGGING=true needs the gateway: Discord sends chat messages only there (leave DISCORD_GATEWAY unset, or set DISCORD_CHAT_LOGGING=false).'],
      [{ ...token, DISCORD_GATEWAY: 'maybe' }, 'Configuration error: DISCORD_GATEWAY must be true or false.'],
    ];
    for (const [env, message] of cases) {
      expect(() => loadConfig(env)).toThrow(new ConfigError(message));
      expect(message).not.toContain('\n');
    }
  });
});
