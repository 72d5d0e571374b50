import { parsePrometheusText, sampleValue, samplesOf } from '@mailroom/testkit';
import { Registry } from 'prom-client';
import { SendMetrics } from './send-metrics';

const PROVIDERS = ['sendgrid', 'mailgun', 'mailjet'];

const scrape = async (registry: Registry) => parsePrometheusText(await registry.metrics());

describe('SendMetrics', () => {
  it('starts every path and outcome at zero, so the first attempt is an increase Prometheus can see', async () => {
    const registry = new Registry();
    new SendMetrics(registry, PROVIDERS);
    const attempts = samplesOf(await scrape(registry), 'mailroom_send_attempts_total');
    expect(attempts).toHaveLength(5 * 4);
    expect(attempts.every((s) => s.value === 0)).toBe(true);
    expect(new Set(attempts.map((s) => `${s.labels.mode}/${s.labels.provider}`))).toEqual(
      new Set(['platform/none', 'smtp/none', 'provider/sendgrid', 'provider/mailgun', 'provider/mailjet']),
    );
  });

  it("labels an attempt with the settings it was sent with, or the email's own record without settings", async () => {
    const registry = new Registry();
    const now = Date.parse('2026-03-01T10:00:05Z');
    const sends = new SendMetrics(registry, PROVIDERS, () => now);
    const email = { transport: { mode: 'smtp' as const }, createdAt: '2026-03-01T10:00:00Z' };
    sends.sendAttempted(email, { mode: 'provider', provider: { name: 'mailgun', fromAddress: 'a@b.example', region: 'eu' } }, 'accepted');
    sends.sendAttempted(email, null, 'failed');
    sends.sendAttempted({ transport: { mode: 'provider', provider: 'mailjet' }, createdAt: email.createdAt }, undefined, 'retry');
    sends.sendAttempted(email, { mode: 'platform' }, 'deferred');
    const f = await scrape(registry);
    expect(sampleValue(f, 'mailroom_send_attempts_total', { mode: 'provider', provider: 'mailgun', outcome: 'accepted' })).toBe(1);
    expect(sampleValue(f, 'mailroom_send_attempts_total', { mode: 'smtp', provider: 'none', outcome: 'failed' })).toBe(1);
    expect(sampleValue(f, 'mailroom_send_attempts_total', { mode: 'provider', provider: 'mailjet', outcome: 'retry' })).toBe(1);
    expect(sampleValue(f, 'mailroom_send_attempts_total', { mode: 'platform', provider: 'none', outcome: 'deferred' })).toBe(1);
    expect(sampleValue(f, 'mailroom_send_attempts_total')).toBe(4);
    // Only the acceptance is timed from enqueue: 5 s, in the (3, 5] bucket.
    expect(sampleValue(f, 'mailroom_enqueue_to_accepted_seconds_count')).toBe(1);
    expect(sampleValue(f, 'mailroom_enqueue_to_accepted_seconds_sum', { mode: 'provider', provider: 'mailgun' })).toBe(5);
    expect(sampleValue(f, 'mailroom_enqueue_to_accepted_seconds_bucket', { le: '3' })).toBe(0);
    expect(sampleValue(f, 'mailroom_enqueue_to_accepted_seconds_bucket', { le: '5' })).toBe(1);
  });

  it('times transport calls by the path they took', async () => {
    const registry = new Registry();
    const sends = new SendMetrics(registry, PROVIDERS);
    sends.transportCallTook({ mode: 'smtp', provider: 'none' }, 0.7);
    sends.transportCallTook({ mode: 'provider', provider: 'sendgrid' }, 0.2);
    const f = await scrape(registry);
    expect(sampleValue(f, 'mailroom_send_duration_seconds_count', { mode: 'smtp', provider: 'none' })).toBe(1);
    expect(sampleValue(f, 'mailroom_send_duration_seconds_bucket', { mode: 'smtp', provider: 'none', le: '0.5' })).toBe(0);
    expect(sampleValue(f, 'mailroom_send_duration_seconds_bucket', { mode: 'smtp', provider: 'none', le: '1' })).toBe(1);
    expect(sampleValue(f, 'mailroom_send_duration_seconds_sum', { mode: 'provider', provider: 'sendgrid' })).toBeCloseTo(0.2);
  });
});
