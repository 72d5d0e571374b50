import { parsePrometheusText, sampleValue, samplesOf } from '@mailroom/testkit';
import { Registry } from 'prom-client';
import { WebhookMetrics } from './webhook-metrics';

describe('WebhookMetrics', () => {
  it('counts events by result and each refused request once', async () => {
    const registry = new Registry();
    const webhooks = new WebhookMetrics(registry, ['sendgrid', 'mailgun', 'mailjet']);
    webhooks.webhookProcessed('sendgrid', { applied: 3, duplicates: 1, unknown: 2 });
    webhooks.webhookRefused('sendgrid');
    webhooks.webhookRefused('mailjet');
    const f = parsePrometheusText(await registry.metrics());
    const count = (provider: string, result: string) => sampleValue(f, 'mailroom_webhook_events_total', { provider, result });
    expect([
      count('sendgrid', 'recorded'),
      count('sendgrid', 'duplicate'),
      count('sendgrid', 'unknown_email'),
      count('sendgrid', 'refused'),
    ]).toEqual([3, 1, 2, 1]);
    expect(count('mailjet', 'refused')).toBe(1);
    expect(samplesOf(f, 'mailroom_webhook_events_total')).toHaveLength(3 * 4);
  });
});
