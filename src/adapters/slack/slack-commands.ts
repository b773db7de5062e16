import { aliasDescription, type CommandDefinition, commandNames } from '../../router/command';
import { describeOptions, usage } from '../../router/options';

/** Slack's own commands, which apps cannot register. */
const SLACK_BUILT_INS = new Set([
  'me', 'status', 'away', 'dnd', 'shrug', 'remind', 'msg', 'feed', 'who', 'collapse', 'expand',
  'leave', 'join', 'open', 'search', 'topic', 'mute', 'pro', 'shortcuts',
]);

/** Used for a command whose own name Slack reserves, when no prefix is configured. */
export const BUILT_IN_CLASH_PREFIX = 'ink-';

/** The Slack name of a command: the configured prefix, and never one of Slack's built-ins. */
export function slackCommandName(name: string, prefix = ''): string {
  const prefixed = `${prefix}${name}`;
  return SLACK_BUILT_INS.has(prefixed) ? `${BUILT_IN_CLASH_PREFIX}${prefixed}` : prefixed;
}

/** Maps an incoming Slack command ("/ink-join") back to ours ("join"). */
export function commandNameFromSlack(slackCommand: string, commands: readonly CommandDefinition[], prefix = ''): string {
  const name = slackCommand.replace(/^\//, '');
  return commands.flatMap(commandNames).find((ours) => slackCommandName(ours, prefix) === name) ?? name;
}

export interface ManifestOptions {
  appName: string;
  commands: readonly CommandDefinition[];
  prefix?: string;
  /** The public URL of /slack/events, for the HTTP receiver; omit for Socket Mode. */
  requestUrl?: string;
  /** Installing in any number of workspaces through OAuth: the public URL of /slack/oauth_redirect. */
  oauthRedirectUrl?: string;
}

/** What the bot asks a workspace for: in the manifest, and in the OAuth install. */
export const BOT_SCOPES = [
  'commands',
  'chat:write',
  'chat:write.public',
  'reactions:write',
  'users:read',
  'channels:history',
  'groups:history',
  'channels:read',
  'groups:read',
  'im:write',
  'files:write',
];

/** A Slack app manifest generated from the command definitions: paste it into "Create an app > From a manifest". */
export function slackManifest({ appName, commands, prefix = '', requestUrl, oauthRedirectUrl }: ManifestOptions) {
  const socketMode = requestUrl === undefined;
  const withUrl = <T extends object>(fields: T) => (socketMode ? fields : { ...fields, url: requestUrl });
  // Installed through OAuth, a workspace's removal of the app (or of its token) is what deletes its token here.
  const botEvents = ['message.channels', 'message.groups', ...(oauthRedirectUrl ? ['app_uninstalled', 'tokens_revoked'] : [])];
  return {
    display_information: {
      name: appName,
      description: 'Daily writing logs, streaks and first-hour reads for writing groups',
      background_color: '#2b3a55',
    },
    features: {
      bot_user: { display_name: appName, always_online: true },
      // Slack has no aliases: each one is a command of its own.
      slash_commands: commands.flatMap((command) =>
        commandNames(command).map((name) =>
          withUrl({
            command: `/${slackCommandName(name, prefix)}`,
            description: aliasDescription(command, name).slice(0, 2000),
            usage_hint: usage(name, describeOptions(command.options)).replace(/^\/\S+\s*/, '').slice(0, 1000),
            // Mentions arrive as <@U123|name> and links as <https://…>, which the adapter reads back exactly.
            should_escape: true,
          }),
        ),
      ),
    },
    oauth_config: { ...(oauthRedirectUrl && { redirect_urls: [oauthRedirectUrl] }), scopes: { bot: BOT_SCOPES } },
    settings: {
      event_subscriptions: socketMode
        ? { bot_events: botEvents }
        : { request_url: requestUrl, bot_events: botEvents },
      interactivity: socketMode ? { is_enabled: true } : { is_enabled: true, request_url: requestUrl },
      org_deploy_enabled: false,
      socket_mode_enabled: socketMode,
      token_rotation_enabled: false,
    },
  };
}
