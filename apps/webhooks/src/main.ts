import { ConfigError, createLogger, loadConfig } from '@mailroom/config';
import { startWebhooks } from './webhooks-server';

async function main() {
  const config = loadConfig(process.env);
  const logger = createLogger('webhooks', config.logLevel);
  for (const n of config.notices) logger.warn(n);
  const app = await startWebhooks(config, { logger });
  const shutdown = async (signal: string) => {
    logger.info({ signal }, 'stopping');
    await app.stop();
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((e) => {
  console.error(e instanceof ConfigError ? `Configuration error: ${e.message}` : e);
  process.exit(1);
});
