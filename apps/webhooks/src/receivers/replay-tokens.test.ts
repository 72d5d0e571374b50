import pino from 'pino';
import { connectTestRedis, TestRedis } from '@mailroom/testkit';
import type { WebhooksDeps } from '../webhooks-deps';
import { ReplayTokens } from './replay-tokens';

/** The replay check against the real (shared) Redis, under its own key prefix. */
describe('webhook replay tokens', () => {
  let t: TestRedis;
  let tokens: ReplayTokens;

  beforeAll(() => {
    t = connectTestRedis('replay-tokens');
    const deps = {
      redis: t.redis,
      logger: pino({ level: 'silent' }),
      config: { queuePrefix: t.prefix.slice(0, -1), timeouts: { redisRequestMs: 5000 } },
    } as unknown as WebhooksDeps;
    tokens = new ReplayTokens(deps);
  });
  afterAll(() => t.close());

  it('concurrent claims: each token is fresh exactly once, whichever tenant, and remembered while its signature may still be taken', async () => {
    const asked = Array.from({ length: 40 }, (_, i) => ({ tenant: `t${i % 3}`, token: `tok-${i % 20}` }));
    const claims = await Promise.all(asked.map(({ tenant, token }) => tokens.claim(tenant, token, 600)));
    const fresh = new Map<string, number>();
    claims.forEach((c, i) => {
      const key = `${asked[i].tenant}/${asked[i].token}`;
      if (c === 'fresh') fresh.set(key, (fresh.get(key) ?? 0) + 1);
    });
    const distinct = new Set(asked.map(({ tenant, token }) => `${tenant}/${token}`));
    expect(fresh.size).toBe(distinct.size);
    expect([...fresh.values()].every((n) => n === 1)).toBe(true);
    expect(await tokens.claim('t0', 'tok-0', 600)).toBe('replayed');
    const ttl = await t.redis.ttl(`${t.prefix}webhook-token:t0:tok-0`);
    expect(ttl).toBeGreaterThan(1100);
    expect(ttl).toBeLessThanOrEqual(1200);
    // Mailgun's window (9 h of retries): the age plus the 10 minutes a timestamp may be ahead of our clock.
    expect(await tokens.claim('t0', 'long-window', 9 * 3600)).toBe('fresh');
    const long = await t.redis.ttl(`${t.prefix}webhook-token:t0:long-window`);
    expect(long).toBeGreaterThan(9 * 3600 + 500);
    expect(long).toBeLessThanOrEqual(9 * 3600 + 600);
  });

  it('a release between two claims of one token frees it for the second, sent in the order asked', async () => {
    const first = tokens.claim('tr', 'retried', 600);
    const released = tokens.release('tr', 'retried');
    const second = tokens.claim('tr', 'retried', 600);
    const third = tokens.claim('tr', 'retried', 600);
    await released;
    expect([await first, await second, await third]).toEqual(['fresh', 'fresh', 'replayed']);
  });

  it('more than one script call takes at once (600 asked together): each claim answered for its own token, in order', async () => {
    const asked = Array.from({ length: 600 }, (_, i) => `many-${i % 400}`);
    const claims = await Promise.all(asked.map((token) => tokens.claim('tm', token, 600)));
    expect(claims.slice(0, 400).every((c) => c === 'fresh')).toBe(true);
    expect(claims.slice(400).every((c) => c === 'replayed')).toBe(true);
  });

  it('a call that throws or never answers fails its own asks (within the budget), and the asks after it still go out', async () => {
    const real = t.redis as unknown as { mailroomWebhookTokens(...args: (string | number)[]): Promise<number[]> };
    const answers: ('throw' | 'hang' | 'redis')[] = ['throw', 'hang', 'redis'];
    const redis = {
      defineCommand: () => undefined,
      mailroomWebhookTokens: (...args: (string | number)[]) => {
        const next = answers.shift();
        if (next === 'throw') throw new Error('connection is closed');
        if (next === 'hang') return new Promise<never>(() => undefined);
        return real.mailroomWebhookTokens(...args);
      },
    };
    const stubbed = new ReplayTokens({
      redis,
      logger: pino({ level: 'silent' }),
      config: { queuePrefix: t.prefix.slice(0, -1), timeouts: { redisRequestMs: 100 } },
    } as unknown as WebhooksDeps);
    await expect(stubbed.claim('tf', 'thrown', 600)).rejects.toThrow('connection is closed');
    const started = Date.now();
    await expect(stubbed.claim('tf', 'hung', 600)).rejects.toThrow('did not answer within');
    expect(Date.now() - started).toBeLessThan(1000);
    expect(await stubbed.claim('tf', 'after', 600)).toBe('fresh');
  });
});
