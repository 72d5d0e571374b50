import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AddressRange, parseAddressRanges } from './address-ranges';
import { DEV_ENCRYPTION_KEY, EncryptionKey, parseCallbackSecrets, parseEncryptionKeys } from './secret-keys';
import { ConfigError } from './config-error';
import { envSchema } from './env-schema';
import { parseFrameAncestors } from './frame-ancestors';
import { parseRedisClusterNodes, RedisNode } from './redis-target';
import { OAuthConfig, parseOAuthConfig } from './oauth-config';

export type { EncryptionKey } from './secret-keys';

export interface Config {
  env: 'development' | 'production' | 'test';
  logLevel: string;
  redisUrl: string;
  /** REDIS_CLUSTER_NODES: the seeds of a Redis Cluster; empty for a single Redis at `redisUrl`. */
  redisClusterNodes: RedisNode[];
  /** Hash-tagged (`{mailroom}`) when `redisClusterNodes` is set, so every key shares one slot. */
  queuePrefix: string;
  dataDir: string;
  storeUrl: string;
  apiKeys: string[];
  opsToken: string;
  /** The first key encrypts; all of them decrypt (rotation). */
  encryptionKeys: EncryptionKey[];
  publicBaseUrl: string;
  platform: {
    transportUrl?: string;
    from: string;
    outboxDir: string;
    /** Connections one worker keeps to the relay, shared by every platform tenant. */
    maxConnections: number;
  };
  smtpPlans: string[];
  /**
   * Connections one worker keeps to one tenant's own SMTP server (SMTP_MAX_CONNECTIONS, default 5:
   * nodemailer's own pool size, and half the default TENANT_MAX_IN_FLIGHT, so that the tenant's other
   * sends in flight wait ready for a connection: decision 0071). The presets' servers (Gmail,
   * Office 365, IONOS) get at most 2: their published sending limits pace them long before (decision 0047).
   */
  smtpMaxConnections: number;
  /**
   * Private, loopback or otherwise non-public addresses a tenant's own SMTP host may still resolve to
   * (SMTP_PRIVATE_HOSTS_ALLOWED). Empty by default: tenants reach public addresses only. The
   * platform's relay (PLATFORM_TRANSPORT) is operator configuration and is not subject to it.
   */
  smtpPrivateHostsAllowed: AddressRange[];
  ports: { api: number; webhooks: number; worker: number };
  host: string;
  send: {
    attempts: number;
    retryBaseMs: number;
    /** The longest wait between two attempts (RETRY_MAX_MS), before jitter: decision 0056. */
    retryMaxMs: number;
    concurrency: number;
    /**
     * K of the tenant lanes (decision 0026): at most this many of one tenant's emails are in the send
     * queue (waiting, active or delayed) at once, across all workers; the rest wait in the tenant's
     * backlog. TENANT_MAX_IN_FLIGHT, by default half of WORKER_CONCURRENCY (at least 1).
     */
    tenantMaxInFlight: number;
    lockMs: number;
    transportCacheSize: number;
    stuckSweepEveryMs: number;
    stuckAfterMs: number;
    /** How long after its creation an email may be deferred for a provider's rate limit without using up attempts. */
    rateLimitGraceMs: number;
  };
  limits: {
    maxAttachmentBytes: number;
    /** The JSON body of one batch enqueue (every item's attachments, base64), apart from the single enqueue's limit. */
    maxBatchBodyBytes: number;
    tenantTokenTtlSeconds: number;
    testEmailsPerMinute: number;
    /**
     * How old a provider's signed timestamp may be, for every provider; undefined: each provider's own
     * window, as long as it retries (the provider modules' `retriesForSeconds`, decision 0077).
     */
    webhookMaxAgeSeconds?: number;
  };
  /**
   * Threads of the API that read batch bodies (parse, validate, decode: decision 0050); 0 reads them on
   * the event loop. BATCH_READ_THREADS, by default one less than the cores (at least 1, at most 4).
   */
  batchReadThreads: number;
  timeouts: {
    providerMs: number;
    smtpConnectionMs: number;
    smtpGreetingMs: number;
    smtpSocketMs: number;
    testEmailMs: number;
    enqueueMs: number;
    /** Every other Redis call on a request path (test-email rate limit, Mailgun replay check, ops counts). */
    redisRequestMs: number;
  };
  /** Email bodies and attachments are deleted this long after the email reached a final status. */
  retention: { contentSeconds: number; sweepEveryMs: number };
  providers: { sendgridUrl: string; mailgunUrlUs: string; mailgunUrlEu: string; mailjetUrl: string };
  /**
   * Signed status callbacks to the platform (Standard Webhooks). No `url`: none are sent. `secrets`
   * are the decoded key bytes of each `whsec_` secret: the first signs, all sign during a rotation.
   */
  callbacks: { url?: string; secrets: Buffer[]; retryScale: number };
  /** Bounces and mailbox rejections leave the suppression list after this many days. */
  suppression: { bounceDays: number };
  /** The admin screens under /ui/: who may frame them (a CSP frame-ancestors source list). */
  ui: { frameAncestors: string };
  /** Connecting Gmail and Microsoft 365 mailboxes with OAuth2 (oauth-config.ts). */
  oauth: OAuthConfig;
  /** Loud notes for the start-up log: development defaults in use, file outbox... */
  notices: string[];
}

const DEV_API_KEY = 'dev-api-key';
const DEV_OPS_TOKEN = 'dev-ops-token-change-me';
const DEV_PLATFORM_FROM = 'documents@mailroom.localhost';
/**
 * Where platform-mode mail goes: an `smtp://`/`smtps://` relay, or `.eml` files in a directory. Files
 * are the development default (said loudly); in production only when asked for by name
 * (`file:///absolute/dir`), and an unset PLATFORM_TRANSPORT refuses to start: a production deployment
 * that silently writes every invoice to disk instead of sending it is the worst default.
 */
function platformTransport(
  raw: string | undefined,
  dataDir: string,
  production: boolean,
  notices: string[],
): { transportUrl?: string; outboxDir: string } {
  if (raw === undefined) {
    if (production)
      throw new ConfigError(
        'PLATFORM_TRANSPORT',
        'is required when NODE_ENV=production: the relay for platform-mode emails (smtp:// or smtps://), or file:///absolute/dir to write them as .eml files on purpose',
      );
    const outboxDir = path.join(dataDir, 'outbox');
    notices.push(`PLATFORM_TRANSPORT is not set: platform-mode emails are written as .eml files under ${outboxDir}, not sent.`);
    return { outboxDir };
  }
  const url = new URL(raw);
  if (url.protocol !== 'file:') return { transportUrl: raw, outboxDir: path.join(dataDir, 'outbox') };
  if (url.hostname !== '' && url.hostname !== 'localhost')
    throw new ConfigError('PLATFORM_TRANSPORT', 'a file URL names a local absolute directory: file:///var/mailroom/outbox');
  const outboxDir = fileURLToPath(url);
  notices.push(`PLATFORM_TRANSPORT=${raw}: platform-mode emails are written as .eml files under ${outboxDir}, not sent.`);
  return { outboxDir };
}

/**
 * A variable set to the empty string counts as unset, so it takes its default: `API_PORT=` in a .env file or
 * `${VAR:-}` in compose must not become port 0, nor `RATE_LIMIT_GRACE_MS=` a grace of 0.
 */
function withoutEmpty(source: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(source).filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== ''));
}

/** Parses and validates the environment once. Throws ConfigError naming the first bad variable. */
export function loadConfig(source: NodeJS.ProcessEnv): Config {
  const parsed = envSchema.safeParse(withoutEmpty(source));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(String(issue.path[0] ?? 'environment'), issue.message);
  }
  const e = parsed.data;
  const production = e.NODE_ENV === 'production';
  // Port 0 is any free port (what the tests start apps on): never what a deployment means, where the
  // load balancer, the health checks and Prometheus need a known port. Refused with the other production rules.
  const anyPort = (['API_PORT', 'WEBHOOKS_PORT', 'WORKER_PORT'] as const).find((v) => e[v] === 0);
  if (anyPort && production) throw new ConfigError(anyPort, 'must be at least 1 when NODE_ENV=production (0 is any free port)');
  const notices: string[] = [];
  const devDefault = (variable: string, what: string) => {
    if (production) throw new ConfigError(variable, `is required when NODE_ENV=production (${what})`);
    notices.push(`${variable} is not set: using a DEVELOPMENT default (${what}). Never run like this in production.`);
  };

  const apiKeys = (e.API_KEYS ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (apiKeys.length === 0) {
    devDefault('API_KEYS', `platform API key "${DEV_API_KEY}"`);
    apiKeys.push(DEV_API_KEY);
  }
  if (apiKeys.some((k) => k.length < 8)) throw new ConfigError('API_KEYS', 'every key must be at least 8 characters');
  let opsToken = e.OPS_TOKEN;
  if (!opsToken) {
    devDefault('OPS_TOKEN', `ops token "${DEV_OPS_TOKEN}"`);
    opsToken = DEV_OPS_TOKEN;
  }
  let encryptionKeys: EncryptionKey[];
  if (e.ENCRYPTION_KEYS) {
    encryptionKeys = parseEncryptionKeys(e.ENCRYPTION_KEYS);
    if (encryptionKeys.length === 0) throw new ConfigError('ENCRYPTION_KEYS', 'needs at least one keyId:base64 entry');
    if (new Set(encryptionKeys.map((k) => k.id)).size !== encryptionKeys.length)
      throw new ConfigError('ENCRYPTION_KEYS', 'key ids must be unique');
  } else {
    devDefault('ENCRYPTION_KEYS', 'a fixed, publicly known key: secrets at rest are NOT protected');
    encryptionKeys = [DEV_ENCRYPTION_KEY];
  }
  const dataDir = path.resolve(e.DATA_DIR);
  const platform = platformTransport(e.PLATFORM_TRANSPORT, dataDir, production, notices);
  // Two more that a deployment must name: a default here does not fail, it quietly sends mail that no
  // server delivers (a .localhost sender) and links and webhooks that nothing outside reaches.
  let platformFrom = e.PLATFORM_FROM;
  if (!platformFrom) {
    devDefault('PLATFORM_FROM', `platform-mode emails are From ${DEV_PLATFORM_FROM}, an address no mail server delivers`);
    platformFrom = DEV_PLATFORM_FROM;
  }
  const publicBaseUrl = (e.PUBLIC_BASE_URL ?? `http://localhost:${e.WEBHOOKS_PORT}`).replace(/\/+$/, '');
  if (!e.PUBLIC_BASE_URL)
    devDefault(
      'PUBLIC_BASE_URL',
      `links, the open pixel and providers' webhooks use ${publicBaseUrl}, reachable from this machine only; in production the public https:// address of the webhooks app`,
    );

  const smtpPrivateHostsAllowed = parseAddressRanges('SMTP_PRIVATE_HOSTS_ALLOWED', e.SMTP_PRIVATE_HOSTS_ALLOWED);
  if (smtpPrivateHostsAllowed.length > 0)
    notices.push(
      `SMTP_PRIVATE_HOSTS_ALLOWED lets tenants' own SMTP settings reach these non-public addresses: ${smtpPrivateHostsAllowed
        .map((r) => `${r.address}/${r.prefixLength}`)
        .join(', ')}.`,
    );
  if (e.CALLBACK_URL && !e.CALLBACK_SECRETS)
    throw new ConfigError('CALLBACK_SECRETS', 'is required when CALLBACK_URL is set: every callback is signed');
  const callbackSecrets = e.CALLBACK_URL && e.CALLBACK_SECRETS ? parseCallbackSecrets(e.CALLBACK_SECRETS) : [];
  if (!e.CALLBACK_URL) notices.push('CALLBACK_URL is not set: no status callbacks are sent to the platform.');

  return {
    env: e.NODE_ENV,
    logLevel: e.LOG_LEVEL,
    redisUrl: e.REDIS_URL,
    redisClusterNodes: parseRedisClusterNodes(e.REDIS_CLUSTER_NODES, e.QUEUE_PREFIX),
    queuePrefix: e.QUEUE_PREFIX,
    dataDir,
    storeUrl: e.STORE_URL ?? `sqlite:${path.join(dataDir, 'mailroom.db')}`,
    apiKeys,
    opsToken,
    encryptionKeys,
    publicBaseUrl,
    platform: { ...platform, from: platformFrom.toLowerCase(), maxConnections: e.PLATFORM_MAX_CONNECTIONS },
    smtpMaxConnections: e.SMTP_MAX_CONNECTIONS,
    smtpPlans: e.SMTP_PLANS.split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    smtpPrivateHostsAllowed,
    ports: { api: e.API_PORT, webhooks: e.WEBHOOKS_PORT, worker: e.WORKER_PORT },
    host: e.HOST,
    send: {
      attempts: e.SEND_ATTEMPTS,
      retryBaseMs: e.RETRY_BASE_MS,
      retryMaxMs: e.RETRY_MAX_MS,
      concurrency: e.WORKER_CONCURRENCY,
      tenantMaxInFlight: e.TENANT_MAX_IN_FLIGHT ?? Math.max(1, Math.floor(e.WORKER_CONCURRENCY / 2)),
      lockMs: e.WORKER_LOCK_MS,
      transportCacheSize: e.TRANSPORT_CACHE_SIZE,
      stuckSweepEveryMs: e.STUCK_SWEEP_EVERY_MS,
      stuckAfterMs: e.STUCK_AFTER_MS,
      rateLimitGraceMs: e.RATE_LIMIT_GRACE_MS,
    },
    limits: {
      maxAttachmentBytes: e.MAX_ATTACHMENT_BYTES,
      maxBatchBodyBytes: e.BATCH_MAX_BODY_BYTES,
      tenantTokenTtlSeconds: e.TENANT_TOKEN_TTL_SECONDS,
      testEmailsPerMinute: e.TEST_EMAILS_PER_MINUTE,
      webhookMaxAgeSeconds: e.WEBHOOK_MAX_AGE_SECONDS,
    },
    batchReadThreads: e.BATCH_READ_THREADS ?? Math.min(4, Math.max(1, os.availableParallelism() - 1)),
    timeouts: {
      providerMs: e.PROVIDER_TIMEOUT_MS,
      smtpConnectionMs: e.SMTP_CONNECTION_TIMEOUT_MS,
      smtpGreetingMs: e.SMTP_GREETING_TIMEOUT_MS,
      smtpSocketMs: e.SMTP_SOCKET_TIMEOUT_MS,
      testEmailMs: e.TEST_EMAIL_TIMEOUT_MS,
      enqueueMs: e.ENQUEUE_TIMEOUT_MS,
      redisRequestMs: e.REDIS_REQUEST_TIMEOUT_MS,
    },
    retention: { contentSeconds: e.CONTENT_RETENTION_SECONDS, sweepEveryMs: e.RETENTION_SWEEP_EVERY_MS },
    providers: {
      sendgridUrl: e.SENDGRID_API_URL,
      mailgunUrlUs: e.MAILGUN_API_URL_US,
      mailgunUrlEu: e.MAILGUN_API_URL_EU,
      mailjetUrl: e.MAILJET_API_URL,
    },
    callbacks: { url: e.CALLBACK_URL, secrets: callbackSecrets, retryScale: e.CALLBACK_RETRY_SCALE },
    suppression: { bounceDays: e.SUPPRESSION_BOUNCE_DAYS },
    ui: { frameAncestors: parseFrameAncestors(e.UI_FRAME_ANCESTORS) },
    oauth: parseOAuthConfig(e, notices),
    notices,
  };
}
