import net from 'node:net';

/**
 * Endpoints where an SMTP client gets nowhere: a port nobody listens on (connection refused), and
 * a server that accepts the connection but never greets (greeting timeout).
 */

/** A port on 127.0.0.1 where nothing listens: bound to learn a free port, then closed. */
export async function refusingPort(): Promise<number> {
  return (await freePorts(1))[0];
}

/**
 * `n` distinct free ports: all `n` are held at once before any is given back, so none can come out
 * twice (one port after another could: a port closed but not yet taken by the process it is for).
 */
export async function freePorts(n: number): Promise<number[]> {
  const servers = Array.from({ length: n }, () => net.createServer());
  try {
    await Promise.all(
      servers.map(
        (server) =>
          new Promise<void>((resolve, reject) => {
            server.once('error', reject);
            server.listen(0, '127.0.0.1', () => resolve());
          }),
      ),
    );
    return servers.map((server) => (server.address() as net.AddressInfo).port);
  } finally {
    await Promise.all(
      servers.map((server) => new Promise<void>((resolve) => (server.listening ? server.close(() => resolve()) : resolve()))),
    );
  }
}

export interface SilentServer {
  host: '127.0.0.1';
  port: number;
  /** Connections accepted so far. */
  connections: number;
  close(): Promise<void>;
}

/** Accepts TCP connections on 127.0.0.1:0 and says nothing, ever. */
export async function startSilentServer(): Promise<SilentServer> {
  const sockets = new Set<net.Socket>();
  const state = { connections: 0 };
  const server = net.createServer((socket) => {
    state.connections += 1;
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as net.AddressInfo;
  return {
    host: '127.0.0.1',
    port,
    get connections() {
      return state.connections;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

export interface CountingListener {
  host: string;
  port: number;
  /** Connections accepted so far. */
  connections: number;
  close(): Promise<void>;
}

/**
 * A TCP listener that counts who connects and greets each with `banner` (say, an internal service's
 * own words): the place an SSRF guard must never reach. `host` may be any loopback address
 * (127.0.0.2...), `port` a fixed one (the same port as a sink on 127.0.0.1).
 */
export async function startCountingListener(options: { host?: string; port?: number; banner?: string } = {}): Promise<CountingListener> {
  const host = options.host ?? '127.0.0.1';
  const sockets = new Set<net.Socket>();
  const state = { connections: 0 };
  const server = net.createServer((socket) => {
    state.connections += 1;
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
    if (options.banner) socket.write(`${options.banner}\r\n`);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as net.AddressInfo;
  return {
    host,
    port,
    get connections() {
      return state.connections;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
