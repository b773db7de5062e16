import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { commands } from '../../commands/index';
import { OAUTH_REDIRECT_PATH } from '../adapters/slack/slack-adapter';
import { slackManifest } from '../adapters/slack/slack-commands';
import { loadConfig, loadDotEnv } from '../config';

/**
 * `npm run slack:manifest -- [--url https://your.host/slack/events] [--out slack-manifest.json]`:
 * writes the Slack app manifest for our commands. Without --url it is a Socket Mode manifest. With
 * SLACK_CLIENT_ID set (installing in any number of workspaces), it adds the OAuth redirect URL from
 * PUBLIC_URL and the uninstall events, and the request URL defaults to PUBLIC_URL's /slack/events.
 */
function main(): void {
  loadDotEnv();
  const { values } = parseArgs({
    options: { url: { type: 'string' }, out: { type: 'string', default: 'slack-manifest.json' }, name: { type: 'string', default: 'Inkwell' } },
  });
  if (values.url && !/^https:\/\/\S+\/slack\/events$/.test(values.url))
    throw new Error('--url must be the public https URL of /slack/events, e.g. https://bot.example.com/slack/events');
  const config = loadConfig();
  const oauth = Boolean(config.slack?.oauth);
  const publicUrl = config.http.publicUrl;
  if (oauth && !publicUrl?.startsWith('https://'))
    throw new Error('PUBLIC_URL must be set to the bot\'s public https address (e.g. https://bot.example.com): Slack sends installers back to its /slack/oauth_redirect.');
  const requestUrl = values.url ?? (oauth ? `${publicUrl}/slack/events` : undefined);
  const oauthRedirectUrl = oauth ? `${publicUrl}${OAUTH_REDIRECT_PATH}` : undefined;
  const manifest = slackManifest({ appName: values.name!, commands, prefix: config.slackCommandPrefix, requestUrl, oauthRedirectUrl });
  writeFileSync(values.out!, `${JSON.stringify(manifest, null, 2)}\n`);
  const mode = oauthRedirectUrl ? `HTTP, installed through OAuth at ${oauthRedirectUrl}` : requestUrl ? 'HTTP' : 'Socket Mode';
  process.stdout.write(`Wrote ${values.out} (${manifest.features.slash_commands.length} commands, ${mode}).\n`);
}

try {
  main();
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
