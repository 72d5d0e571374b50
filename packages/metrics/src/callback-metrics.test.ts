import { parsePrometheusText, sampleValue, samplesOf } from '@mailroom/testkit';
import { Registry } from 'prom-client';
import { CallbackMetrics } from './callback-metrics';

describe('CallbackMetrics', () => {
  it('counts attempts by event type and outcome, from zero for every pair, and unpublished events', async () => {
    const registry = new Registry();
    const callbacks = new CallbackMetrics(registry);
    callbacks.callbackAttempted('email.accepted', 'delivered');
    callbacks.callbackAttempted('email.accepted', 'delivered');
    callbacks.callbackAttempted('email.bounced', 'retry');
    callbacks.callbackAttempted('settings.failing', 'disabled');
    callbacks.callbackAttempted('email.opened', 'failed');
    callbacks.callbackUnpublished('email.delivered');
    const f = parsePrometheusText(await registry.metrics());
    const count = (type: string, outcome: string) => sampleValue(f, 'mailroom_callbacks_total', { type, outcome });
    expect([
      count('email.accepted', 'delivered'),
      count('email.bounced', 'retry'),
      count('settings.failing', 'disabled'),
      count('email.opened', 'failed'),
      count('email.canceled', 'delivered'),
    ]).toEqual([2, 1, 1, 1, 0]);
    expect(samplesOf(f, 'mailroom_callbacks_total')).toHaveLength(10 * 4);
    expect(sampleValue(f, 'mailroom_callbacks_unpublished_total', { type: 'email.delivered' })).toBe(1);
  });
});
