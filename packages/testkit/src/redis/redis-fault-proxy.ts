import net from 'node:net';

export type RedisFault = 'drop' | 'freeze';

/**
 * A TCP proxy in front of a Redis, for a test that makes Redis fail at one precise moment: right after
 * it answers a PING (`afterNextPong`), as if it went away or stalled between a caller's health check
 * and the caller's next command. `drop`: every connection is ended (the PONG delivered first) and new
 * ones are refused, as with a killed server. `freeze`: connections stay open and every byte is held,
 * both ways, as with a stopped one. `heal()` lets new connections in again, or delivers what was held.
 */
export interface RedisFaultProxy {
  port: number;
  url: string;
  afterNextPong(fault: RedisFault): void;
  heal(): void;
  close(): Promise<void>;
}

export async function startRedisFaultProxy(target: { host?: string; port: number }): Promise<RedisFaultProxy> {
  const host = target.host ?? '127.0.0.1';
  const sockets = new Set<net.Socket>();
  let armed: RedisFault | undefined;
  let fault: RedisFault | undefined;
  let held: (() => void)[] = [];

  const apply = (f: RedisFault) => {
    fault = f;
    if (f === 'drop') for (const s of sockets) s.end();
  };
  const pipe = (from: net.Socket, to: net.Socket, fromRedis: boolean) => {
    from.on('data', (chunk: Buffer) => {
      if (fault === 'drop') return;
      if (fault === 'freeze') return void held.push(() => to.write(chunk));
      to.write(chunk);
      if (fromRedis && armed && chunk.toString('latin1') === '+PONG\r\n') {
        const f = armed;
        armed = undefined;
        apply(f);
      }
    });
    from.on('error', () => to.destroy());
    from.on('close', () => {
      sockets.delete(from);
      to.end();
    });
  };

  const server = net.createServer((client) => {
    if (fault === 'drop') return void client.destroy();
    const upstream = net.connect(target.port, host);
    sockets.add(client);
    sockets.add(upstream);
    pipe(client, upstream, false);
    pipe(upstream, client, true);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    afterNextPong(f) {
      armed = f;
    },
    heal() {
      armed = undefined;
      fault = undefined;
      const release = held;
      held = [];
      for (const write of release) write();
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
