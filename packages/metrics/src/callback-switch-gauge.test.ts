import { randomBytes } from 'node:crypto';
import { CallbackSwitch, createCallbackQueue } from '@mailroom/callbacks';
import { parsePrometheusText, sampleValue } from '@mailroom/testkit';
import IORedis from 'ioredis';
import { Registry } from 'prom-client';
import { watchCallbackSwitch } from './callback-switch-gauge';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

describe('mailroom_callbacks_enabled', () => {
  const prefix = `mrtest-cbswitch-${randomBytes(4).toString('hex')}`;
  const redis = new IORedis(REDIS_URL, { maxRetriesPerRequest: null });
  const queue = createCallbackQueue(redis, prefix);
  afterAll(async () => {
    await queue.obliterate({ force: true });
    await queue.close();
    await redis.del(`${prefix}:callback-switch`);
    redis.disconnect();
  });

  it('is 1 while callbacks are on, 0 once a 410 switched them off, 1 again when ops switch them on', async () => {
    const onOff = new CallbackSwitch(redis, queue, prefix);
    const registry = new Registry();
    watchCallbackSwitch(registry, onOff);
    const value = async () => sampleValue(parsePrometheusText(await registry.metrics()), 'mailroom_callbacks_enabled', {});
    expect(await value()).toBe(1);
    await onOff.disable('the callback URL answered 410 Gone', new Date().toISOString());
    expect(await value()).toBe(0);
    await onOff.enable();
    expect(await value()).toBe(1);
  });
});
