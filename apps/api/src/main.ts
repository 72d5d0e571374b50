import { runMain } from '@mailroom/config';
import { startApi } from './api-server';

runMain('api', (config, logger) => startApi(config, { logger }));
