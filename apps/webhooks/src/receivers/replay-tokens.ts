import { withinMs } from '@mailroom/runtime';
import { replayMemorySeconds } from '@mailroom/transports';
import type { Cluster, Redis } from 'ioredis';
import type { WebhooksDeps } from '../webhooks-deps';

/** The most claims and releases one script call carries (the rest go in the next). */
const MAX_BATCH = 256;

/**
 * KEYS: the tokens' keys; ARGV[i]: 'r' to release KEYS[i] (DEL, 1), else the seconds to remember it
 * for, to claim it (SET NX EX: 1 when fresh, 0 when seen). Run in the order given, atomically.
 */
const CLAIM_OR_RELEASE_LUA = `
local out = {}
for i = 1, #KEYS do
  if ARGV[i] ~= 'r' then
    out[i] = redis.call('SET', KEYS[i], '1', 'EX', ARGV[i], 'NX') and 1 or 0
  else
    redis.call('DEL', KEYS[i])
    out[i] = 1
  end
end
return out
`;

interface TokenCommands {
  mailroomWebhookTokens(...keysAndArgs: (string | number)[]): Promise<number[]>;
}

interface Asked {
  /** 'r' to release; a claim's seconds to remember the token for. */
  op: 'r' | number;
  key: string;
  askedAt: number;
  resolve: (answer: number) => void;
  reject: (error: unknown) => void;
}

/**
 * Signed webhooks' one-time tokens (the `replayToken` a module's verification gives), remembered in
 * Redis to refuse replays. Claims and releases go to Redis as one script call for all those asked
 * for while the previous call was out (or in the same turn of the event loop), in the order asked: one
 * round trip and one socket write for the posts of a busy provider that arrived together, instead of
 * one each (decision 0043). Atomic per token (SET NX); a release never overtakes the claim before it.
 */
export class ReplayTokens {
  private readonly redis: (Redis | Cluster) & TokenCommands;
  private asked: Asked[] = [];
  private scheduled = false;
  /** A script call is out, not answered yet. */
  private inFlight = false;

  constructor(private readonly deps: Pick<WebhooksDeps, 'redis' | 'config' | 'logger'>) {
    deps.redis.defineCommand('mailroomWebhookTokens', { lua: CLAIM_OR_RELEASE_LUA });
    this.redis = deps.redis as (Redis | Cluster) & TokenCommands;
  }

  /**
   * 'fresh' the first time a tenant's token is claimed, 'replayed' after. Throws when Redis does not
   * answer within REDIS_REQUEST_TIMEOUT_MS: the caller then answers 503 and the provider retries later
   * (decision 0015). Accepting without the check would open a replay window for as long as Redis is away.
   */
  async claim(tenantId: string, token: string, maxAgeSeconds: number): Promise<'fresh' | 'replayed'> {
    // Remembered until the post's signed timestamp leaves the window it was accepted in (signed-timestamp.ts).
    return (await this.ask(replayMemorySeconds(maxAgeSeconds), tenantId, token)) === 1 ? 'fresh' : 'replayed';
  }

  /**
   * Forgets a claimed token, so the provider's retry of a request we failed to record is not taken
   * for a replay. Sent after the claims asked for before it (never overtaking its own claim), bounded
   * like them, and never throws: when Redis is gone the claim most likely never landed either (the
   * request-path connection queues nothing).
   */
  async release(tenantId: string, token: string): Promise<void> {
    await this.ask('r', tenantId, token).catch((e: Error) =>
      this.deps.logger.warn({ tenantId, err: e.message }, 'could not forget a webhook token; a retry of this request may be refused'),
    );
  }

  private ask(op: Asked['op'], tenantId: string, token: string): Promise<number> {
    return new Promise<number>((resolve, reject) => {
      const key = `${this.deps.config.queuePrefix}:webhook-token:${tenantId}:${token}`;
      this.asked.push({ op, key, askedAt: Date.now(), resolve, reject });
      this.schedule();
    });
  }

  /** The next call goes after this turn's I/O, and only once the call before it is answered (or timed out). */
  private schedule(): void {
    if (this.scheduled || this.inFlight || this.asked.length === 0) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.send();
    });
  }

  /**
   * One script call for what was asked so far (up to MAX_BATCH), in the order asked. What is asked
   * while it is out waits for its answer and goes in the next call: under load the calls grow instead
   * of multiplying. Each ask still waits at most REDIS_REQUEST_TIMEOUT_MS from when it was asked.
   */
  private send(): void {
    if (this.inFlight || this.asked.length === 0) return;
    const batch = this.asked.splice(0, MAX_BATCH);
    this.inFlight = true;
    const budgetMs = Math.max(0, this.deps.config.timeouts.redisRequestMs - (Date.now() - batch[0].askedAt));
    // Called inside an async function, so that even a synchronous throw settles the batch and frees the next call.
    const call = async () => this.redis.mailroomWebhookTokens(batch.length, ...batch.map((a) => a.key), ...batch.map((a) => a.op));
    withinMs(call(), budgetMs, 'Redis (webhook replay check)')
      .then(
        (answers) => batch.forEach((a, i) => a.resolve(answers[i])),
        (error: unknown) => batch.forEach((a) => a.reject(error)),
      )
      .finally(() => {
        this.inFlight = false;
        this.schedule();
      });
  }
}
