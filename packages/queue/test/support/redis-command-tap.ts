import IORedis from 'ioredis';

/**
 * Counts the Redis commands this process sends from now until `stop()` (every ioredis client,
 * BullMQ's duplicated blocking connections included), or only those `client` sends (a test's round
 * trips, apart from the commands a worker of an earlier test still sends while it closes). A Lua
 * script counts as one command, like the round trip it is. Test and bench instrument only.
 */
export function tapRedisCommands(client?: object): { stop(): number } {
  const proto = IORedis.prototype as unknown as { sendCommand: (...args: unknown[]) => unknown };
  const original = proto.sendCommand;
  let commands = 0;
  proto.sendCommand = function (this: unknown, ...args: unknown[]) {
    if (client === undefined || this === client) commands += 1;
    return original.apply(this, args);
  };
  return {
    stop() {
      proto.sendCommand = original;
      return commands;
    },
  };
}
