import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { RunningApi, startApi } from '@mailroom/api';
import { Config, loadConfig, REDACT_PATHS } from '@mailroom/config';
import { createCallbackQueue } from '@mailroom/callbacks';
import { createRedisConnection, createSendQueue, TenantLanes, TenantLanesOptions } from '@mailroom/queue';
import { refusingPort, RunningDnsServer, startDnsServer } from '@mailroom/testkit';
import { RunningWebhooks, startWebhooks } from '@mailroom/webhooks';
import { RunningWorker, startWorker } from '@mailroom/worker';
import type { Store } from '@mailroom/store';
import type { ProviderRegistry } from '@mailroom/transports';
import type { Cluster, Redis } from 'ioredis';
import pino from 'pino';
import { OpenApiAnswers } from './openapi-answers';

export const API_KEY = 'test-platform-key-0001';
export const OPS_TOKEN = 'test-ops-token-000000001';
export const ENCRYPTION_KEYS = `k1:${Buffer.alloc(32, 7).toString('base64')}`;

/**
 * The DNS the apps see in these tests (a real DNS server, see the testkit): the public mail servers
 * the tests name, at public addresses that are never connected to. Tests add names (`m.dns.set`).
 */
export const PUBLIC_MAIL_HOSTS: Record<string, string[]> = {
  'smtp.gmail.com': ['142.250.110.108', '2a00:1450:4013:c06::6c'],
  'smtp.office365.com': ['52.98.59.2'],
  'smtp.ionos.es': ['212.227.17.190'],
  'smtp.ionos.de': ['212.227.15.183'],
};

export interface Mailroom {
  config: Config;
  env: Record<string, string>;
  dataDir: string;
  api: RunningApi;
  worker?: RunningWorker;
  webhooks: RunningWebhooks;
  /** The DNS server the API and the worker resolve tenants' SMTP hosts with. */
  dns: RunningDnsServer;
  call(
    method: string,
    urlPath: string,
    body?: unknown,
    options?: { token?: string; headers?: Record<string, string> },
  ): Promise<{ status: number; body: any; headers: Headers }>;
  startWorker(): Promise<RunningWorker>;
  stop(): Promise<void>;
}

/**
 * The three apps in-process on port 0 (every answer of `call` checked against GET /v1/openapi.json): a fresh SQLite file, its own queue prefix on the real Redis,
 * fast retries. `env` overrides any variable. Logs are silent unless MAILROOM_TEST_LOGS is set.
 * `options.store`: one store for all three apps instead of their own (the caller closes it).
 * `options.providers`: the transport modules the three apps run with (a test may add its own).
 */
export async function startMailroom(
  env: Record<string, string> = {},
  options: {
    worker?: boolean;
    logStream?: NodeJS.WritableStream;
    /** The level of the `logStream` logger (trace by default: tests scan every line). */
    logLevel?: string;
    store?: Store;
    /** The API's tenant lanes, built by the test (on the API's connection, the harness's prefix and K). */
    apiLanes?: (redis: Redis | Cluster, options: TenantLanesOptions) => TenantLanes;
    providers?: ProviderRegistry;
  } = {},
): Promise<Mailroom> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mailroom-e2e-'));
  const base: Record<string, string> = {
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    QUEUE_PREFIX: `mrtest-${randomBytes(4).toString('hex')}`,
    API_KEYS: API_KEY,
    OPS_TOKEN,
    ENCRYPTION_KEYS,
    API_PORT: '0',
    WEBHOOKS_PORT: '0',
    WORKER_PORT: '0',
    HOST: '127.0.0.1',
    SEND_ATTEMPTS: '4',
    RETRY_BASE_MS: '100',
    WORKER_LOCK_MS: '5000',
    SMTP_CONNECTION_TIMEOUT_MS: '3000',
    SMTP_GREETING_TIMEOUT_MS: '3000',
    SMTP_SOCKET_TIMEOUT_MS: '5000',
    PROVIDER_TIMEOUT_MS: '3000',
    // The local SMTP servers of the tests: the SSRF guard lets tenants reach these and no other private address.
    SMTP_PRIVATE_HOSTS_ALLOWED: '127.0.0.1,::1',
    LOG_LEVEL: process.env.MAILROOM_TEST_LOGS ? 'debug' : 'silent',
    ...env,
  };
  const logger = options.logStream
    ? pino({ level: options.logLevel ?? 'trace', redact: { paths: REDACT_PATHS, censor: '[redacted]' } }, options.logStream)
    : pino({ level: base.LOG_LEVEL });
  // The webhooks app's address is known before it starts, so all three apps share PUBLIC_BASE_URL as in
  // production (the OAuth callback's redirect URI is the same at the start and at the code exchange).
  // A port found free can be taken before the app listens on it (another test's outgoing connection gets
  // it as its local port): then another port is picked, a few times.
  const providers = options.providers;
  const configFor = (webhooksPort: string) => {
    const env = { PUBLIC_BASE_URL: `http://127.0.0.1:${webhooksPort}`, ...base, WEBHOOKS_PORT: webhooksPort };
    return { env, config: loadConfig(env) };
  };
  const pickPort = base.WEBHOOKS_PORT === '0';
  let { env: fullEnv, config } = configFor(pickPort ? String(await refusingPort()) : base.WEBHOOKS_PORT);
  let webhooks: Awaited<ReturnType<typeof startWebhooks>>;
  for (let tries = 1; ; tries++) {
    try {
      webhooks = await startWebhooks(config, { logger, store: options.store, providers });
      break;
    } catch (e) {
      if (!pickPort || tries >= 5 || (e as { code?: string }).code !== 'EADDRINUSE') throw e;
      ({ env: fullEnv, config } = configFor(String(await refusingPort())));
    }
  }
  const dns = await startDnsServer(PUBLIC_MAIL_HOSTS);
  const api = await startApi(config, {
    logger,
    resolveHost: dns.resolve,
    store: options.store,
    providers,
    ...(options.apiLanes
      ? {
          lanes: (redis: Redis | Cluster) =>
            options.apiLanes!(redis, { prefix: config.queuePrefix, maxInFlight: config.send.tenantMaxInFlight }),
        }
      : {}),
  });
  // Every answer of `call` is checked against the API's own OpenAPI document (decision 0031).
  const openApi = await OpenApiAnswers.load(api.url);
  const m: Mailroom = {
    config,
    env: fullEnv,
    dataDir,
    api,
    webhooks,
    dns,
    async call(method, urlPath, body, opts = {}) {
      const headers: Record<string, string> = { ...(opts.headers ?? {}) };
      const token = opts.token === undefined ? API_KEY : opts.token;
      if (token) headers.authorization = `Bearer ${token}`;
      let payload: string | undefined;
      if (body !== undefined) {
        payload = typeof body === 'string' ? body : JSON.stringify(body);
        headers['content-type'] ??= 'application/json';
      }
      const res = await fetch(api.url + urlPath, { method, headers, body: payload });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        /* not JSON */
      }
      openApi.check(method, urlPath, res.status, parsed, text);
      return { status: res.status, body: parsed, headers: res.headers };
    },
    async startWorker() {
      m.worker = await startWorker(config, { logger, resolveHost: dns.resolve, store: options.store, providers });
      return m.worker;
    },
    async stop() {
      await m.worker?.stop();
      await api.stop();
      await webhooks.stop();
      await dns.close();
      const redis = createRedisConnection(config.redisUrl, config.redisClusterNodes);
      const q = createSendQueue(redis, config.queuePrefix);
      await q.obliterate({ force: true }).catch(() => undefined);
      await q.close();
      const callbacks = createCallbackQueue(redis, config.queuePrefix);
      await callbacks.obliterate({ force: true }).catch(() => undefined);
      await callbacks.close();
      const leftovers = [
        ...(await redis.keys(`${config.queuePrefix}:callback-*`)),
        ...(await redis.keys(`${config.queuePrefix}:tenant-lanes*`)),
      ];
      if (leftovers.length) await redis.del(...leftovers);
      redis.disconnect();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
  if (options.worker !== false) await m.startWorker();
  return m;
}

export async function waitFor<T>(
  probe: () => Promise<T | undefined | null | false>,
  what: string,
  timeoutMs = 15000,
  everyMs = 50,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Waits until the email's status satisfies `done`, and returns the email. */
export async function waitForEmail(m: Mailroom, tenantId: string, id: string, done: (e: any) => boolean, timeoutMs = 15000): Promise<any> {
  let last: any;
  try {
    return await waitFor(
      async () => {
        const r = await m.call('GET', `/v1/tenants/${tenantId}/emails/${id}`);
        last = r.body;
        return r.status === 200 && done(r.body) ? r.body : undefined;
      },
      `email ${id}`,
      timeoutMs,
    );
  } catch (e) {
    throw new Error(`${(e as Error).message}; last seen: ${JSON.stringify(last)?.slice(0, 1500)}`, { cause: e });
  }
}

export const SETTLED = (e: any) => ['accepted', 'failed', 'delivered', 'opened', 'bounced', 'dropped'].includes(e.status);

/** A small but real PDF, so attachment bytes can be compared exactly. */
export const INVOICE_PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj 3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n' +
    randomBytes(2048).toString('binary'),
  'binary',
);
