import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { commands } from '../../commands/index';
import { slackManifest } from '../adapters/slack/slack-commands';
import { loadConfig, loadDotEnv } from '../config';

/**
 * `npm run slack:manifest -- [--url https://your.host/slack/events] [--out slack-manifest.json]`:
 * writes the Slack app manifest for our commands. Without --url it is a Socket Mode manifest.
 */
function main(): void {
  loadDotEnv();
  const { values } = parseArgs({
    options: { url: { type: 'string' }, out: { type: 'string', default: 'slack-manifest.json' }, name: { type: 'string', default: 'Inkwell' } },
  });
  if (values.url && !/^https:\/\/\S+\/slack\/events$/.test(values.url))
    throw new Error('--url must be the public https URL of /slack/events, e.g. https://bot.example.com/slack/events');
  const prefix = loadConfig().slackCommandPrefix;
  const manifest = slackManifest({ appName: values.name!, commands, prefix, requestUrl: values.url });
  writeFileSync(values.out!, `${JSON.stringify(manifest, null, 2)}\n`);
  process.stdout.write(`Wrote ${values.out} (${manifest.features.slash_commands.length} commands, ${values.url ? 'HTTP' : 'Socket Mode'}).\n`);
}

try {
  main();
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
