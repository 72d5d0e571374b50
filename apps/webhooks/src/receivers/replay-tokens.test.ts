import pino from 'pino';
import { connectTestRedis, TestRedis } from '@mailroom/testkit';
import type { WebhooksDeps } from '../webhooks-deps';
import { claimWebhookToken, releaseWebhookToken } from './replay-tokens';

/** The replay check against the real (shared) Redis, under its own key prefix. */
describe('webhook replay tokens', () => {
  let t: TestRedis;
  let deps: WebhooksDeps;

  beforeAll(() => {
    t = connectTestRedis('replay-tokens');
    deps = {
      redis: t.redis,
      logger: pino({ level: 'silent' }),
      config: { queuePrefix: t.prefix.slice(0, -1), limits: { webhookMaxAgeSeconds: 600 }, timeouts: { redisRequestMs: 5000 } },
    } as unknown as WebhooksDeps;
  });
  afterAll(() => t.close());

  it('concurrent claims: each token is fresh exactly once, whichever tenant, and remembered for twice the signature age', async () => {
    const tokens = Array.from({ length: 40 }, (_, i) => ({ tenant: `t${i % 3}`, token: `tok-${i % 20}` }));
    const claims = await Promise.all(tokens.map(({ tenant, token }) => claimWebhookToken(deps, tenant, token)));
    const fresh = new Map<string, number>();
    claims.forEach((c, i) => {
      const key = `${tokens[i].tenant}/${tokens[i].token}`;
      if (c === 'fresh') fresh.set(key, (fresh.get(key) ?? 0) + 1);
    });
    const distinct = new Set(tokens.map(({ tenant, token }) => `${tenant}/${token}`));
    expect(fresh.size).toBe(distinct.size);
    expect([...fresh.values()].every((n) => n === 1)).toBe(true);
    expect(await claimWebhookToken(deps, 't0', 'tok-0')).toBe('replayed');
    const ttl = await t.redis.ttl(`${t.prefix}webhook-token:t0:tok-0`);
    expect(ttl).toBeGreaterThan(1100);
    expect(ttl).toBeLessThanOrEqual(1200);
  });

  it('a release between two claims of one token frees it for the second, sent in the order asked', async () => {
    const first = claimWebhookToken(deps, 'tr', 'retried');
    const released = releaseWebhookToken(deps, 'tr', 'retried');
    const second = claimWebhookToken(deps, 'tr', 'retried');
    const third = claimWebhookToken(deps, 'tr', 'retried');
    await released;
    expect([await first, await second, await third]).toEqual(['fresh', 'fresh', 'replayed']);
  });
});
