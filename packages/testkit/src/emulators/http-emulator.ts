import express, { Express, Request } from 'express';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

/**
 * The common base of the provider emulators: an Express app on 127.0.0.1:0 (http, or https with the
 * test CA's server certificate), every request recorded with its raw body, and a queue of faults the
 * test can inject before the normal answer (a status with a body, a slow answer, a dropped connection).
 */
export interface RecordedRequest {
  method: string;
  /** Path and query, without scheme and host (absolute-form URLs from proxies are reduced to this). */
  url: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  rawBody: Buffer;
  at: number;
}

export type Fault =
  | { kind: 'status'; status: number; body?: unknown; headers?: Record<string, string>; contentType?: string }
  | { kind: 'delay'; ms: number }
  | { kind: 'drop' };

export interface RunningEmulator {
  url: string;
  port: number;
  requests: RecordedRequest[];
  /** Faults are consumed one per matching request, in order. */
  injectFault(fault: Fault, match?: (req: Request) => boolean): void;
  close(): Promise<void>;
}

const CERT_DIR = path.resolve(__dirname, '../../certs');

export function testTlsCredentials(): { key: Buffer; cert: Buffer; ca: Buffer } {
  return {
    key: fs.readFileSync(path.join(CERT_DIR, 'server.key')),
    cert: fs.readFileSync(path.join(CERT_DIR, 'server.pem')),
    ca: fs.readFileSync(path.join(CERT_DIR, 'ca.pem')),
  };
}

export async function startHttpEmulator(
  mount: (app: Express, recorded: RecordedRequest[]) => void,
  options: { tls?: boolean } = {},
): Promise<RunningEmulator> {
  const app = express();
  const requests: RecordedRequest[] = [];
  const faults: { fault: Fault; match?: (req: Request) => boolean }[] = [];

  app.use(express.raw({ type: () => true, limit: '60mb' }));
  app.use((req, _res, next) => {
    const rawBody = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const url = req.originalUrl.startsWith('http') ? new URL(req.originalUrl).pathname + new URL(req.originalUrl).search : req.originalUrl;
    requests.push({ method: req.method, url, path: url.split('?')[0], headers: req.headers, rawBody, at: Date.now() });
    (req as Request & { rawBody: Buffer }).rawBody = rawBody;
    next();
  });
  app.use(async (req, res, next) => {
    const i = faults.findIndex((f) => !f.match || f.match(req));
    if (i < 0) return next();
    const [{ fault }] = faults.splice(i, 1);
    if (fault.kind === 'delay') {
      await new Promise((r) => setTimeout(r, fault.ms));
      return next();
    }
    if (fault.kind === 'drop') {
      req.socket.destroy();
      return;
    }
    res.status(fault.status);
    for (const [k, v] of Object.entries(fault.headers ?? {})) res.setHeader(k, v);
    if (fault.body === undefined) return res.end();
    if (typeof fault.body === 'string') return res.type(fault.contentType ?? 'text/plain').send(fault.body);
    return res.json(fault.body);
  });
  mount(app, requests);

  const server = options.tls ? https.createServer(testTlsCredentials(), app) : http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const sockets = new Set<import('node:net').Socket>();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  return {
    url: `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    port,
    requests,
    injectFault: (fault, match) => faults.push({ fault, match }),
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Reads the raw body an emulator recorded for this request. */
export function rawBodyOf(req: Request): Buffer {
  return (req as Request & { rawBody?: Buffer }).rawBody ?? Buffer.alloc(0);
}
