import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Listening {
  port: number;
  close(): Promise<void>;
}

/**
 * Listens on host:port (0 picks a free port) and closes without waiting for idle keep-alive sockets.
 * When it cannot (the port taken, a HOST that is not this machine's), the error names HOST and the
 * app's port variable, so the operator knows what to change.
 */
export async function listen(handler: http.RequestListener, port: number, host: string, portVariable: string): Promise<Listening> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => {
      const message = `Cannot listen on ${host}:${port} (HOST, ${portVariable}): ${e.message}. ${listenHint(e.code, portVariable)}`;
      // The errno code stays on the error: callers may still tell a taken port from the rest.
      reject(Object.assign(new Error(message, { cause: e }), { code: e.code }));
    });
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

function listenHint(code: string | undefined, portVariable: string): string {
  if (code === 'EADDRINUSE') return `Another process holds that port: stop it, or set ${portVariable} to a free port.`;
  if (code === 'EACCES') return `This user may not listen on that port: set ${portVariable} to 1024 or more.`;
  return 'Check that HOST is an address of this machine (0.0.0.0 for every interface).';
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
