import { withinMs } from '@mailroom/runtime';
import type { WebhooksDeps } from '../webhooks-deps';

/** How long a webhook token is remembered to refuse replays: longer than the accepted signature age. */
const replayTtlSeconds = (maxAgeSeconds: number) => maxAgeSeconds * 2;

const tokenKey = (deps: WebhooksDeps, tenantId: string, token: string) => `${deps.config.queuePrefix}:webhook-token:${tenantId}:${token}`;

/**
 * Claims a signed webhook's one-time token (the `replayToken` its module's verification gave): 'fresh' the first time,
 * 'replayed' after. Throws when Redis does not answer within REDIS_REQUEST_TIMEOUT_MS: the caller then
 * answers 503 and the provider retries later (decision 0015). Accepting without the check would open
 * a replay window for as long as Redis is away.
 */
export async function claimWebhookToken(deps: WebhooksDeps, tenantId: string, token: string): Promise<'fresh' | 'replayed'> {
  const ttl = replayTtlSeconds(deps.config.limits.webhookMaxAgeSeconds);
  const set = await withinMs(
    deps.redis.set(tokenKey(deps, tenantId, token), '1', 'EX', ttl, 'NX'),
    deps.config.timeouts.redisRequestMs,
    'Redis (webhook replay check)',
  );
  return set === 'OK' ? 'fresh' : 'replayed';
}

/**
 * Forgets a claimed token, so the provider's retry of a request we failed to record is not taken for
 * a replay. Bounded like the claim, and never throws: when Redis is gone the claim most likely never
 * landed either (the request-path connection queues nothing).
 */
export async function releaseWebhookToken(deps: WebhooksDeps, tenantId: string, token: string): Promise<void> {
  await withinMs(
    deps.redis.del(tokenKey(deps, tenantId, token)),
    deps.config.timeouts.redisRequestMs,
    'Redis (webhook replay release)',
  ).catch((e: Error) =>
    deps.logger.warn({ tenantId, err: e.message }, 'could not forget a webhook token; a retry of this request may be refused'),
  );
}
