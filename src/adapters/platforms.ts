import { commands } from '../../commands/index';
import type { ChatAdapter } from '../core/chat-adapter';
import type { Config } from '../config';
import type { Db } from '../db/database';
import type { HttpRoutes } from '../http/http-server';
import type { Logger } from '../logger';

/**
 * The chat platforms the configuration enables (none means the terminal console). Each platform's
 * library is loaded only when it is configured, so a Slack-only bot never holds discord.js in memory.
 * Slack over HTTP and Discord's interactions endpoint mount themselves on `http`, the bot's server;
 * with OAuth, Slack's installations live in `db`.
 */
export async function platformAdapters(config: Config, logger: Logger, http?: HttpRoutes, db?: Db): Promise<ChatAdapter[]> {
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
    const slackLogger = logger.child({ platform: 'slack' });
    const oauth = config.slack.oauth && (await slackOAuth(config.slack.oauth, config.http.publicUrl, db, slackLogger));
    adapters.push(new SlackAdapter({ botToken, oauth, signingSecret, appToken, apiUrl, commandPrefix, port, http, commands, logger: slackLogger }));
  }
  return adapters;
}

/** Bolt's installer settings over our installation store: tokens sealed with TOKEN_ENCRYPTION_KEY, each state used once. */
async function slackOAuth(oauth: NonNullable<NonNullable<Config['slack']>['oauth']>, publicUrl: string | undefined, db: Db | undefined, logger: Logger) {
  if (!db) throw new Error('installing Slack through OAuth needs the database');
  const { SlackInstallationStore, SingleUseStateStore } = await import('./slack/installation-store');
  const { TokenCipher } = await import('./slack/token-cipher');
  const { BOT_SCOPES } = await import('./slack/slack-commands');
  const { OAUTH_REDIRECT_PATH } = await import('./slack/slack-adapter');
  return {
    clientId: oauth.clientId,
    clientSecret: oauth.clientSecret,
    stateSecret: oauth.stateSecret,
    installations: new SlackInstallationStore({ db, cipher: new TokenCipher(oauth.tokenKey), now: () => Date.now(), logger }),
    stateStore: new SingleUseStateStore(oauth.stateSecret, db),
    scopes: BOT_SCOPES,
    ...(publicUrl && { redirectUri: `${publicUrl}${OAUTH_REDIRECT_PATH}` }),
  };
}
