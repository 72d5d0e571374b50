import fs from 'node:fs';
import { createRedisConnection } from '../../packages/queue/src/redis-connection';

/**
 * The pid of the Redis server at `url` when it runs on this machine (its `process_id` from INFO, and
 * /proc shows a redis-server under that pid), so a row can read its CPU time; undefined otherwise.
 */
export async function localRedisServerPid(url: string): Promise<number | undefined> {
  const redis = createRedisConnection(url);
  try {
    await redis.connect();
    const pid = Number(/process_id:(\d+)/.exec(await redis.info('server'))?.[1]);
    if (!Number.isInteger(pid)) return undefined;
    const comm = fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
    return comm.startsWith('redis-server') ? pid : undefined;
  } catch {
    return undefined;
  } finally {
    redis.disconnect();
  }
}
