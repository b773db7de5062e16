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
