import { tapRedisCommands } from '../packages/queue/test/support/redis-command-tap';

/**
 * Counts the Redis commands this process sends while `fn` runs: a figure that, unlike time, does not
 * drift with the load of a shared machine.
 */
export async function countRedisCommands<T>(fn: () => Promise<T>): Promise<{ result: T; commands: number }> {
  const tap = tapRedisCommands();
  try {
    const result = await fn();
    return { result, commands: tap.stop() };
  } catch (err) {
    tap.stop();
    throw err;
  }
}
