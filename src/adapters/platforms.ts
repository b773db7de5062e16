import { commands } from '../../commands/index';
import type { ChatAdapter } from '../core/chat-adapter';
import type { Config } from '../config';
import type { HttpRoutes } from '../http/http-server';
import type { Logger } from '../logger';

/**
 * The chat platforms the configuration enables (none means the terminal console). Each platform's
 * library is loaded only when it is configured, so a Slack-only bot never holds discord.js in memory.
 * Slack over HTTP and Discord's interactions endpoint mount themselves on `http`, the bot's server.
 */
export async function platformAdapters(config: Config, logger: Logger, http?: HttpRoutes): Promise<ChatAdapter[]> {
  const adapters: ChatAdapter[] = [];
  if (config.discord) {
    const { DiscordAdapter } = await import('./discord/discord-adapter');
    const { token, apiUrl, guildId, applicationId, chatLogging, gateway, publicKey } = config.discord;
    adapters.push(
      new DiscordAdapter({ token, apiUrl, guildId, applicationId, chatLogging, gateway, publicKey, http, commands, logger: logger.child({ platform: 'discord' }) }),
    );
  }
  if (config.slack) {
    const { SlackAdapter } = await import('./slack/slack-adapter');
    const { botToken, signingSecret, appToken, apiUrl, port } = config.slack;
    const commandPrefix = config.slackCommandPrefix;
    adapters.push(
      new SlackAdapter({ botToken, signingSecret, appToken, apiUrl, commandPrefix, port, http, commands, logger: logger.child({ platform: 'slack' }) }),
    );
  }
  return adapters;
}
