import IORedis from 'ioredis';

/**
 * Counts the Redis commands this process sends (every ioredis client, BullMQ's included) while `fn`
 * runs: a figure that, unlike time, does not drift with the load of a shared machine. A Lua script
 * counts as one command, like the round trip it is. Bench instrument only.
 */
export async function countRedisCommands<T>(fn: () => Promise<T>): Promise<{ result: T; commands: number }> {
  const proto = IORedis.prototype as unknown as { sendCommand: (...args: unknown[]) => unknown };
  const original = proto.sendCommand;
  let commands = 0;
  proto.sendCommand = function (this: unknown, ...args: unknown[]) {
    commands += 1;
    return original.apply(this, args);
  };
  try {
    return { result: await fn(), commands };
  } finally {
    proto.sendCommand = original;
  }
}
