import IORedis, { Cluster, ClusterOptions, Redis, RedisOptions } from 'ioredis';

/**
 * What every app talks to: one Redis (REDIS_URL), or a Redis Cluster (REDIS_CLUSTER_NODES) on which
 * every key Mailroom uses shares one slot through the hash-tagged QUEUE_PREFIX (decision 0032). Both
 * answer the same commands; BullMQ recognises a Cluster by itself.
 */
export type RedisConnection = Redis | Cluster;

/** A Redis Cluster's seed nodes (REDIS_CLUSTER_NODES); the client discovers the rest. Empty: a single Redis. */
export type RedisClusterSeeds = readonly { host: string; port: number }[];

/** A connection as BullMQ wants it (no per-request retry limit). `lazyConnect` lets the caller decide when to fail. */
export function createRedisConnection(url: string): Redis;
export function createRedisConnection(url: string, cluster: RedisClusterSeeds): RedisConnection;
export function createRedisConnection(url: string, cluster: RedisClusterSeeds = []): RedisConnection {
  const options: RedisOptions = { maxRetriesPerRequest: null, enableReadyCheck: true, lazyConnect: true };
  return cluster.length > 0 ? clusterConnection(url, cluster, options) : new IORedis(url, options);
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
  return cluster.length > 0 ? clusterConnection(url, cluster, options, { enableOfflineQueue: false }) : new IORedis(url, options);
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

/** Connects, or throws an error that tells an operator what to do. */
export async function connectRedis(redis: RedisConnection, url: string, timeoutMs = 5000, cluster: RedisClusterSeeds = []): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      redis.connect(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('timed out')), timeoutMs);
      }),
    ]);
    await redis.ping();
  } catch (e) {
    redis.disconnect();
    const hint =
      cluster.length > 0
        ? 'Check REDIS_CLUSTER_NODES (host:port seeds of a running cluster, every slot assigned).'
        : 'Start one with: redis-server --daemonize yes --bind 127.0.0.1 --port 6379, or set REDIS_URL.';
    throw new Error(`Cannot reach ${describeRedisTarget(url, cluster)} (${(e as Error).message}). ${hint}`, { cause: e });
  } finally {
    clearTimeout(timer);
  }
}
