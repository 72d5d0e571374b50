import { ConfigError } from './config-error';

export interface RedisNode {
  host: string;
  port: number;
}

/**
 * Whether every key under this prefix hashes to one Redis Cluster slot. Redis hashes only what lies
 * between the first `{` of a key and the first `}` after it, when that is not empty, so the prefix
 * must hold such a tag (`{mailroom}`, `mr-{prod}`). Required on a Cluster, harmless on a single Redis.
 */
export function isHashTagged(prefix: string): boolean {
  const open = prefix.indexOf('{');
  if (open < 0) return false;
  const close = prefix.indexOf('}', open + 1);
  return close > open + 1;
}

/**
 * QUEUE_PREFIX may hold braces only as one hash tag: one `{`, then a non-empty tag, then one `}`.
 * Anything else (`{}`, `}x{`, two tags) would hash differently from what the operator meant.
 */
export function hashTagProblem(prefix: string): string | undefined {
  const opens = prefix.split('{').length - 1;
  const closes = prefix.split('}').length - 1;
  if (opens === 0 && closes === 0) return undefined;
  if (opens !== 1 || closes !== 1 || !isHashTagged(prefix))
    return `braces must form one hash tag around a non-empty name, as in {mailroom} (got "${prefix}")`;
  return undefined;
}

/** REDIS_CLUSTER_NODES: comma-separated host:port seeds ([v6]:port for IPv6). Empty: a single Redis at REDIS_URL. */
export function parseRedisClusterNodes(raw: string | undefined, queuePrefix: string): RedisNode[] {
  const entries = (raw ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const nodes = entries.map((entry) => {
    const m = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/.exec(entry);
    const port = m ? Number(m[2]) : 0;
    if (!m || port < 1 || port > 65535)
      throw new ConfigError('REDIS_CLUSTER_NODES', `"${entry}" must be host:port (for example redis-1:6379), separated by commas`);
    return { host: m[1].replace(/^\[|\]$/g, ''), port };
  });
  if (nodes.length > 0 && !isHashTagged(queuePrefix))
    throw new ConfigError(
      'QUEUE_PREFIX',
      `must be hash-tagged on a Redis Cluster (REDIS_CLUSTER_NODES is set), for example {mailroom}: BullMQ's scripts and Mailroom's own touch several keys at once, which a Cluster allows only within one slot (got "${queuePrefix}")`,
    );
  return nodes;
}
