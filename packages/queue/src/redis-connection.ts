import IORedis, { Cluster, ClusterOptions, Redis, RedisOptions } from 'ioredis';
import { ClosableRedis, ClosableRedisOptions } from './closable-redis';

/**
 * What every app talks to: one Redis (REDIS_URL), or a Redis Cluster (REDIS_CLUSTER_NODES) on which
 * every key Mailroom uses shares one slot through the hash-tagged QUEUE_PREFIX (decision 0032). Both
 * answer the same commands; BullMQ recognises a Cluster by itself.
 */
export type RedisConnection = Redis | Cluster;

/** A Redis Cluster's seed nodes (REDIS_CLUSTER_NODES); the client discovers the rest. Empty: a single Redis. */
export type RedisClusterSeeds = readonly { host: string; port: number }[];

/**
 * A connection as BullMQ wants it (no per-request retry limit). `lazyConnect` lets the caller decide when
 * to fail. A single Redis gets a `ClosableRedis`: a worker's close must end even mid-outage.
 */
export function createRedisConnection(url: string): Redis;
export function createRedisConnection(url: string, cluster: RedisClusterSeeds): RedisConnection;
export function createRedisConnection(url: string, cluster: RedisClusterSeeds = []): RedisConnection {
  const options: ClosableRedisOptions = { maxRetriesPerRequest: null, enableReadyCheck: true, lazyConnect: true };
  return cluster.length > 0 ? clusterConnection(url, cluster, options) : new ClosableRedis(url, options);
}

/**
 * A connection for request paths (the API's and the webhooks' Redis calls): it never makes a request
 * wait for a Redis that is not there (decision 0015).
 * - `enableOfflineQueue: false`: while disconnected, every command is refused at once. Nothing piles
 *   up in memory during an outage and nothing runs late, after the caller was already answered 503.
 * - `maxRetriesPerRequest: 0`: commands in flight when the connection drops fail instead of being
 *   sent again after the reconnect, for the same reason.
 * - `commandTimeout`: a backstop for Redis calls we do not bound ourselves (bull-board's); our own
 *   calls go through `withinMs` with their own, tighter budgets.
 * It reconnects by itself (ioredis's retry strategy), so the app recovers when Redis is back.
 * BullMQ's Queue accepts it (only blocking connections need `maxRetriesPerRequest: null`).
 */
export function createRequestPathRedisConnection(url: string, commandTimeoutMs: number): Redis;
export function createRequestPathRedisConnection(url: string, commandTimeoutMs: number, cluster: RedisClusterSeeds): RedisConnection;
export function createRequestPathRedisConnection(url: string, commandTimeoutMs: number, cluster: RedisClusterSeeds = []): RedisConnection {
  const options: RedisOptions = {
    lazyConnect: true,
    enableReadyCheck: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: commandTimeoutMs,
  };
  if (cluster.length === 0) return new IORedis(url, options);
  // On a Cluster the client refuses commands while the Cluster is not ready. Its node connections keep
  // their offline queue: the client's own ready check goes through a node connection that may still be
  // connecting (refused at once, the Cluster never became ready on a loaded machine); `commandTimeout`
  // bounds whatever waits there.
  return clusterConnection(url, cluster, { ...options, enableOfflineQueue: true }, { enableOfflineQueue: false });
}

/**
 * An ioredis Cluster on the seeds. Each node connection gets the same options as a single Redis,
 * plus the credentials and TLS of REDIS_URL (a Cluster's nodes share them).
 */
function clusterConnection(url: string, seeds: RedisClusterSeeds, nodeOptions: RedisOptions, extra: ClusterOptions = {}): Cluster {
  const u = new URL(url);
  const redisOptions: RedisOptions = {
    ...nodeOptions,
    lazyConnect: false,
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    ...(u.protocol === 'rediss:' ? { tls: {} } : {}),
  };
  return new Cluster(
    seeds.map((s) => ({ host: s.host, port: s.port })),
    { lazyConnect: true, enableReadyCheck: true, redisOptions, ...extra },
  );
}

/** Where the connection points, for messages: the URL without its password, or the Cluster's seeds. */
export function describeRedisTarget(url: string, cluster: RedisClusterSeeds = []): string {
  return cluster.length > 0
    ? `the Redis Cluster at ${cluster.map((s) => `${s.host}:${s.port}`).join(', ')}`
    : `Redis at ${url.replace(/\/\/[^@]*@/, '//***@')}`;
}

/**
 * Connects, or throws an error that tells an operator what to do. A Cluster gets longer by default: its
 * client asks a seed for the slot map, then connects to and checks every master before it is ready.
 */
export async function connectRedis(
  redis: RedisConnection,
  url: string,
  timeoutMs: number | undefined = undefined,
  cluster: RedisClusterSeeds = [],
): Promise<void> {
  timeoutMs ??= cluster.length > 0 ? 15_000 : 5000;
  let timer: NodeJS.Timeout | undefined;
  // What the client last ran into while trying, so a timeout says why.
  let lastError: string | undefined;
  const seen: Error[] = [];
  const noteError = (e: Error) => {
    lastError = e.message;
    seen.push(e);
  };
  redis.on('error', noteError);
  redis.on('node error', noteError);
  try {
    await Promise.race([
      cluster.length > 0 ? clusterReady(redis) : redis.connect(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('timed out')), timeoutMs);
      }),
    ]);
    await redis.ping();
  } catch (e) {
    redis.disconnect();
    const hint = connectHint(url, cluster, [e as Error, ...seen]);
    const why =
      lastError && lastError !== (e as Error).message ? `${(e as Error).message}; last error: ${lastError}` : (e as Error).message;
    throw new Error(`Cannot reach ${describeRedisTarget(url, cluster)} (${why}). ${hint}`, { cause: e });
  } finally {
    clearTimeout(timer);
    redis.off('error', noteError);
    redis.off('node error', noteError);
  }
}

/**
 * What to do, from what went wrong: a wrong or missing password is not fixed by starting a Redis,
 * and only a refused connection means that nothing runs there. Never prints the password.
 */
function connectHint(url: string, cluster: RedisClusterSeeds, errors: Error[]): string {
  const said = (re: RegExp) => errors.some((e) => re.test(e.message));
  if (said(/WRONGPASS|NOAUTH|invalid password|invalid username-password/i))
    return 'Check the user name and password in REDIS_URL (redis://user:password@host:port): Redis refused them.';
  if (cluster.length > 0) return 'Check REDIS_CLUSTER_NODES (host:port seeds of a running cluster, every slot assigned).';
  const u = new URL(url);
  const port = u.port || '6379';
  if (errors.some((e) => (e as NodeJS.ErrnoException).code === 'ECONNREFUSED' || /ECONNREFUSED/.test(e.message)))
    return `Nothing answers at ${u.hostname}:${port}. Start Redis there (locally: redis-server --daemonize yes --bind 127.0.0.1 --port ${port}), or set REDIS_URL.`;
  return `Check REDIS_URL: the host and port, TLS (rediss://), and that a firewall lets this machine reach ${u.hostname}:${port}.`;
}

/**
 * A Cluster is connected when it says `ready`. Its `connect()` promise is not to be waited on: when
 * the client's first ready check fails (a node connection still opening, seen on a loaded machine),
 * ioredis 6 reconnects by itself and that promise never settles. So: start it, and wait for the event.
 */
function clusterReady(redis: RedisConnection): Promise<void> {
  return new Promise<void>((resolve) => {
    if (redis.status === 'ready') return resolve();
    redis.once('ready', () => resolve());
    redis.connect().catch(() => undefined); // its failures arrive as 'error' events, and it retries
  });
}
