import { REST, Routes } from 'discord.js';
import { commands } from '../../commands/index';
import { registerCommands } from '../adapters/discord/application-commands';
import { ConfigError, loadConfig, loadDotEnv } from '../config';

/** `npm run discord:register`: overwrite the slash commands (guild or global) without starting the bot. */
async function main(): Promise<void> {
  loadDotEnv();
  const { discord } = loadConfig();
  if (!discord) throw new ConfigError('Configuration error: DISCORD_TOKEN must be set to register commands.');
  const rest = new REST(discord.apiUrl ? { api: discord.apiUrl } : {}).setToken(discord.token);
  const applicationId = discord.applicationId ?? ((await rest.get(Routes.currentApplication())) as { id: string }).id;
  const count = await registerCommands(rest, { applicationId, guildId: discord.guildId }, commands);
  process.stdout.write(`Registered ${count} commands ${discord.guildId ? `in guild ${discord.guildId}` : 'globally'}.\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
