import { ConsoleAdapter } from './adapters/console/console-adapter';
import { startBot } from './bot';
import { ConfigError, loadConfig, loadDotEnv } from './config';
import { createLogger } from './logger';

/** Wiring only: config, the bot (a platform per token, or the terminal console), clean shutdown on signals. */
async function main(): Promise<void> {
  loadDotEnv();
  const config = loadConfig();
  const serving = Boolean(config.discord || config.slack);
  // In the terminal console, info logs would interleave with the conversation.
  const logger = createLogger(config.logLevel ?? (serving ? 'info' : 'warn'));

  let stop: (() => Promise<void>) | undefined;
  let shuttingDown = false;
  // The first signal drains (see startBot's stop); a second one means "now".
  const shutdown = async (reason: string, signal = false) => {
    if (shuttingDown) {
      // The console's input ends when the console stops: that is the drain itself, not a second request.
      if (!signal) return;
      logger.warn({ reason }, 'stopping at once');
      process.exit(1);
    }
    shuttingDown = true;
    logger.info({ reason }, 'shutting down');
    try {
      await stop?.();
    } catch (error) {
      logger.error({ err: error }, 'shutting down failed');
      process.exit(1);
    }
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT', true));
  process.on('SIGTERM', () => void shutdown('SIGTERM', true));
  process.on('unhandledRejection', (error) => logger.error({ err: error }, 'unhandled rejection'));

  const bot = await startBot(config, logger, {
    fallback: () =>
      new ConsoleAdapter({
        input: process.stdin,
        output: process.stdout,
        user: config.consoleUser,
        fileDir: config.consoleFilesDir,
        onEnd: () => void shutdown('end of input'),
      }),
  });
  stop = bot.stop;
  if (serving) logger.info({ platforms: bot.adapters.map((a) => a.platform), port: bot.http.address?.port }, 'bot running');
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
  } else {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`The bot could not start: ${message}\n`);
    const cause = error instanceof Error && error.cause ? String((error.cause as Error).message ?? error.cause) : '';
    if (cause && !message.includes(cause)) process.stderr.write(`  cause: ${cause}\n`);
  }
  process.exit(1);
});
