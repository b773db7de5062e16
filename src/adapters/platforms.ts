import { commands } from '../../commands/index';
import type { ChatAdapter } from '../core/chat-adapter';
import type { Config } from '../config';
import type { Logger } from '../logger';
import { DiscordAdapter } from './discord/discord-adapter';
import { SlackAdapter } from './slack/slack-adapter';

/** The chat platforms the configuration enables (none means the terminal console). */
export function platformAdapters(config: Config, logger: Logger): ChatAdapter[] {
  const adapters: ChatAdapter[] = [];
  if (config.discord) {
    const { token, apiUrl, guildId, applicationId, chatLogging } = config.discord;
    adapters.push(new DiscordAdapter({ token, apiUrl, guildId, applicationId, chatLogging, commands, logger: logger.child({ platform: 'discord' }) }));
  }
  if (config.slack) {
    const { botToken, signingSecret, appToken, apiUrl, port } = config.slack;
    const commandPrefix = config.slackCommandPrefix;
    adapters.push(
      new SlackAdapter({ botToken, signingSecret, appToken, apiUrl, commandPrefix, port, commands, logger: logger.child({ platform: 'slack' }) }),
    );
  }
  return adapters;
}
