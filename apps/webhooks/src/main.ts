import { runMain } from '@mailroom/runtime';
import { startWebhooks } from './webhooks-server';

runMain('webhooks', (config, logger) => startWebhooks(config, { logger }));
