import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Listening {
  port: number;
  close(): Promise<void>;
}

/** Listens on host:port (0 picks a free port) and closes without waiting for idle keep-alive sockets. */
export async function listen(handler: http.RequestListener, port: number, host: string): Promise<Listening> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await closed;
    },
  };
}

/** What each app's start() returns: where it listens, what it was built from, and how to stop it. */
export interface RunningApp<Deps> {
  port: number;
  url: string;
  deps: Deps;
  /** The request handler it serves (the Express app): what a test walks to find every route. */
  app: http.RequestListener;
  stop(): Promise<void>;
}
