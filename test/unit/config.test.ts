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
