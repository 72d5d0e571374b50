import { runMain } from '@mailroom/config';
import { startWebhooks } from './webhooks-server';

runMain('webhooks', (config, logger) => startWebhooks(config, { logger }));
