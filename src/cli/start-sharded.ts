import { ShardingManager } from 'discord.js';
import { fileURLToPath } from 'node:url';
import { loadConfig, loadDotEnv } from '../config';

/**
 * `npm run start:sharded`: one bot process per Discord shard, spawned by discord.js's ShardingManager.
 * Every process shares one Postgres database (set DATABASE_URL), which is what keeps scheduled posts
 * exactly-once across shards.
 */
async function main(): Promise<void> {
  loadDotEnv();
  const config = loadConfig();
  if (!config.discord) throw new Error('Configuration error: DISCORD_TOKEN must be set to run shards.');
  if (!config.discord.gateway) throw new Error('Configuration error: shards are gateway connections; with DISCORD_GATEWAY=false run the bot with npm start.');
  if (!('postgresUrl' in config.database)) throw new Error('Configuration error: DATABASE_URL must point at Postgres when running several shards.');
  // Runs from the build (dist/cli/start-sharded.js), next to the built entry point.
  const manager = new ShardingManager(fileURLToPath(new URL('../main.js', import.meta.url)), {
    token: config.discord.token,
    totalShards: config.discord.shards ?? 'auto',
    // The same V8 setting as `npm start`: each shard is a whole bot process.
    execArgv: ['--optimize-for-size'],
  });
  manager.on('shardCreate', (shard) => process.stdout.write(`Started shard ${shard.id}\n`));
  await manager.spawn();
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
