import { GOOGLE_OAUTH_DEFAULTS, MICROSOFT_GRAPH_DEFAULT_URL, MICROSOFT_OAUTH_DEFAULTS } from '@mailroom/oauth';
import { z } from 'zod';
import { hashTagProblem } from './redis-target';

const int = (def: number, min = 0, max = Number.MAX_SAFE_INTEGER) =>
  z.coerce
    .number({ error: (issue) => (issue.code === 'invalid_type' ? 'must be a whole number' : undefined) })
    .int('must be a whole number')
    .min(min, `must be at least ${min}`)
    .max(max, `must be at most ${max}`)
    .default(def);
/** A whole number in [min, max] whose default is decided in load-config.ts (it follows another variable). */
const optionalInt = (min: number, max: number) =>
  z.coerce
    .number({ error: (issue) => (issue.code === 'invalid_type' ? 'must be a whole number' : undefined) })
    .int('must be a whole number')
    .min(min, `must be at least ${min}`)
    .max(max, `must be at most ${max}`)
    .optional();
/** 0 (any free port) passes here; load-config.ts refuses it with NODE_ENV=production. */
const port = (def: number) => int(def, 0, 65535);
/**
 * One check, not z.url() + refine: zod 4 runs a refine even after z.url() failed, and `new URL()`
 * would throw out of the parse instead of naming the variable.
 */
const url = (protocols: string[]) => {
  const schemes = protocols.map((p) => p + '//').join(' or ');
  return z.string().refine((u) => URL.canParse(u) && protocols.includes(new URL(u).protocol), {
    error: (issue) =>
      URL.canParse(String(issue.input))
        ? `must start with ${schemes}`
        : `must be a whole URL starting with ${schemes} (the value is not printed: it may hold a password)`,
  });
};

/** Every variable Mailroom reads, with the design brief's defaults. Parsed once, at start. */
export const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  REDIS_URL: url(['redis:', 'rediss:']).default('redis://127.0.0.1:6379'),
  QUEUE_PREFIX: z
    .string()
    .regex(/^[\w:{}-]+$/, 'may hold only letters, digits, _ : - and one {hash-tag}')
    .refine((p) => hashTagProblem(p) === undefined, { error: (issue) => hashTagProblem(String(issue.input)) })
    .default('mailroom'),
  REDIS_CLUSTER_NODES: z.string().optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  STORE_URL: z
    .string()
    .regex(/^(sqlite:.+|mongodb(\+srv)?:\/\/.+)$/, 'must be sqlite:PATH or a mongodb:// URL')
    .optional(),
  API_KEYS: z.string().optional(),
  OPS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  ENCRYPTION_KEYS: z.string().optional(),
  PUBLIC_BASE_URL: url(['http:', 'https:']).optional(),
  PLATFORM_TRANSPORT: url(['smtp:', 'smtps:', 'file:']).optional(),
  PLATFORM_FROM: z.email('must be an email address').optional(),
  SMTP_PLANS: z.string().default('advanced,premium'),
  SMTP_PRIVATE_HOSTS_ALLOWED: z.string().default(''),
  API_PORT: port(8080),
  WEBHOOKS_PORT: port(8081),
  WORKER_PORT: port(8082),
  HOST: z.string().default('0.0.0.0'),
  SEND_ATTEMPTS: int(16, 1, 50),
  RETRY_BASE_MS: int(30_000, 1, 3_600_000),
  RETRY_MAX_MS: int(300_000, 1, 6 * 3_600_000),
  /**
   * 20: half of it (K, below) is twice a tenant's SMTP connections, so a tenant's next sends are read,
   * marked and waiting when a connection frees (decision 0071).
   */
  WORKER_CONCURRENCY: int(20, 1, 500),
  /** By default half of WORKER_CONCURRENCY (load-config.ts). */
  TENANT_MAX_IN_FLIGHT: optionalInt(1, 500),
  WORKER_LOCK_MS: int(30_000, 1_000),
  STUCK_SWEEP_EVERY_MS: int(60_000, 100),
  STUCK_AFTER_MS: int(120_000, 100),
  RATE_LIMIT_GRACE_MS: int(86_400_000, 0),
  MAX_ATTACHMENT_BYTES: int(10 * 1024 * 1024, 1),
  BATCH_MAX_BODY_BYTES: int(32 * 1024 * 1024, 1024),
  /** By default one less than the cores, at least 1, at most 4 (load-config.ts). */
  BATCH_READ_THREADS: optionalInt(0, 64),
  TENANT_TOKEN_TTL_SECONDS: int(900, 30, 86_400),
  PROVIDER_TIMEOUT_MS: int(15_000, 100),
  SMTP_CONNECTION_TIMEOUT_MS: int(15_000, 100),
  SMTP_GREETING_TIMEOUT_MS: int(15_000, 100),
  SMTP_SOCKET_TIMEOUT_MS: int(60_000, 100),
  TEST_EMAIL_TIMEOUT_MS: int(20_000, 500),
  ENQUEUE_TIMEOUT_MS: int(5_000, 50),
  REDIS_REQUEST_TIMEOUT_MS: int(1_000, 50, 60_000),
  CONTENT_RETENTION_SECONDS: int(30 * 24 * 3600, 1),
  RETENTION_SWEEP_EVERY_MS: int(600_000, 100),
  PLATFORM_MAX_CONNECTIONS: int(5, 1, 100),
  SMTP_MAX_CONNECTIONS: int(5, 1, 50),
  TEST_EMAILS_PER_MINUTE: int(5, 1),
  TRANSPORT_CACHE_SIZE: int(200, 1),
  WEBHOOK_MAX_AGE_SECONDS: optionalInt(10, 7 * 24 * 3600),
  SENDGRID_API_URL: url(['http:', 'https:']).default('https://api.sendgrid.com'),
  MAILGUN_API_URL_US: url(['http:', 'https:']).default('https://api.mailgun.net'),
  MAILGUN_API_URL_EU: url(['http:', 'https:']).default('https://api.eu.mailgun.net'),
  MAILJET_API_URL: url(['https:']).default('https://api.mailjet.com'),
  UI_FRAME_ANCESTORS: z.string().default('self'),
  CALLBACK_URL: url(['http:', 'https:']).optional(),
  CALLBACK_SECRETS: z.string().optional(),
  CALLBACK_RETRY_SCALE: z.coerce
    .number({ error: 'must be a number' })
    .positive('must be more than 0')
    .max(1, 'must be at most 1 (it only shrinks the schedule)')
    .default(1),
  SUPPRESSION_BOUNCE_DAYS: int(30, 1, 3650),
  GOOGLE_OAUTH_CLIENT_ID: z.string().trim().min(1).optional(),
  GOOGLE_OAUTH_CLIENT_SECRET: z.string().trim().min(1).optional(),
  GOOGLE_OAUTH_AUTH_URL: url(['http:', 'https:']).default(GOOGLE_OAUTH_DEFAULTS.authUrl),
  GOOGLE_OAUTH_TOKEN_URL: url(['http:', 'https:']).default(GOOGLE_OAUTH_DEFAULTS.tokenUrl),
  MICROSOFT_OAUTH_CLIENT_ID: z.string().trim().min(1).optional(),
  MICROSOFT_OAUTH_CLIENT_SECRET: z.string().trim().min(1).optional(),
  MICROSOFT_OAUTH_AUTHORITY: z
    .string()
    .regex(/^[\w.-]{1,100}$/, 'must be common, organizations, consumers or a directory (tenant) id or domain')
    .default(MICROSOFT_OAUTH_DEFAULTS.authority),
  MICROSOFT_OAUTH_LOGIN_URL: url(['http:', 'https:']).default(MICROSOFT_OAUTH_DEFAULTS.loginUrl),
  MICROSOFT_GRAPH_URL: url(['http:', 'https:']).default(MICROSOFT_GRAPH_DEFAULT_URL),
  OAUTH_RETURN_HOSTS: z.string().default(''),
});
export type Env = z.infer<typeof envSchema>;
