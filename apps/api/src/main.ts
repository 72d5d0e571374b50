import { ConfigError, createLogger, loadConfig } from '@mailroom/config';
import { startApi } from './api-server';

async function main() {
  const config = loadConfig(process.env);
  const logger = createLogger('api', config.logLevel);
  for (const n of config.notices) logger.warn(n);
  const api = await startApi(config, { logger });
  const shutdown = async (signal: string) => {
    logger.info({ signal }, 'stopping');
    await api.stop();
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((e) => {
  console.error(e instanceof ConfigError ? `Configuration error: ${e.message}` : e);
  process.exit(1);
});
