import { join } from 'node:path';
import { ConsoleAdapter } from './adapters/console/console-adapter';
import { createApp } from './app';
import { ConfigError, loadConfig, loadDotEnv } from './config';
import { createLogger } from './logger';

/** Wiring only: config -> database -> migrations -> services -> adapters; clean shutdown on signals. */
async function main(): Promise<void> {
  loadDotEnv();
  const config = loadConfig();
  // In the terminal console, info logs would interleave with the conversation.
  const logger = createLogger(config.logLevel ?? 'warn');
  const app = await createApp({ database: config.database, logger });

  let exitCode = 0;
  const shutdown = async (reason: string) => {
    logger.info({ reason }, 'shutting down');
    await app.close();
    process.exit(exitCode);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('unhandledRejection', (error) => logger.error({ err: error }, 'unhandled rejection'));

  await app.attach(
    new ConsoleAdapter({
      input: process.stdin,
      output: process.stdout,
      user: config.consoleUser,
      fileDir: join('data', 'console-files'),
      onEnd: () => void shutdown('end of input'),
    }),
  );
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
  } else {
    process.stderr.write(`The bot could not start: ${error instanceof Error ? error.message : String(error)}\n`);
    if (error instanceof Error && error.cause) process.stderr.write(`  cause: ${String((error.cause as Error).message ?? error.cause)}\n`);
  }
  process.exit(1);
});
