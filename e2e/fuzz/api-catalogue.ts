import fc from 'fast-check';
import { body, queryString } from './arbitraries';

/**
 * One entry per route the API serves (found by walking the app, see express-routes.ts): the valid
 * requests the fuzzer mutates. A route missing here fails the fuzz test, so a new route gets its
 * arbitrary when it is added.
 */
export interface RouteArbitraries {
  /** Values a path parameter takes when it is not fuzzed: ids that exist, so the route's own code runs. */
  params?: Record<string, string[]>;
  body?: fc.Arbitrary<Buffer>;
  query?: fc.Arbitrary<string>;
  /** Sends an Idempotency-Key header arbitrary too. */
  idempotent?: boolean;
  /** For a mount: sub-paths and methods to try under it. */
  mount?: { methods: string[]; subPaths: string[] };
  /** Authorization the route takes (default: platform key, tenant token, and bad forms). */
  auth?: 'ops';
}

export interface ApiFixtures {
  tenant: string;
  emailId: string;
  sinkPort: number;
}

const TENANT = (f: ApiFixtures) => ({ tenantId: [f.tenant, f.tenant, f.tenant, 'fz-other', 'no-such-tenant'] });

const platformSettings = { mode: 'platform', senderName: 'Fuzz Co', replyTo: 'billing@fuzz.example', cc: ['books@fuzz.example'], bcc: [] };
const smtpSettings = (port: number) => ({
  mode: 'smtp',
  senderName: 'Fuzz Co',
  replyTo: 'billing@fuzz.example',
  smtp: {
    preset: 'other',
    fromAddress: 'billing@fuzz.example',
    username: 'billing@fuzz.example',
    password: 'pw-fuzz-0001',
    host: '127.0.0.1',
    port,
    tls: false,
  },
});
const gmailSettings = {
  mode: 'smtp',
  senderName: 'Fuzz Co',
  smtp: { preset: 'gmail', fromAddress: 'billing@fuzz.example', username: 'billing@fuzz.example', password: 'abcd efgh ijkl mnop' },
};
const providerSettings = (name: string, extra: object = {}) => ({
  mode: 'provider',
  senderName: 'Fuzz Co',
  provider: { name, fromAddress: 'billing@mg.fuzz.example', privateApiKey: `key-${name}-0001`, ...extra },
});
const invoice = {
  to: [{ email: 'client@customer.example', name: 'Client SA' }, 'second@customer.example'],
  cc: ['cfo@customer.example'],
  bcc: [],
  subject: 'Invoice F-2026-0042',
  text: 'Please find your invoice attached.',
  html: '<p>Please find your invoice attached.</p>',
  attachments: [{ filename: 'F-2026-0042.pdf', contentType: 'application/pdf', content: Buffer.from('%PDF-1.4 fuzz').toString('base64') }],
  document: { type: 'invoice', id: 'inv_42', number: 'F-2026-0042' },
  metadata: { customer: 'c_1', total: 121.5, paid: false, note: null },
};

export function apiCatalogue(f: ApiFixtures): Record<string, RouteArbitraries> {
  const settingsBodies = body(
    platformSettings,
    smtpSettings(f.sinkPort),
    gmailSettings,
    providerSettings('sendgrid'),
    providerSettings('mailgun', { region: 'eu', domain: 'mg.fuzz.example' }),
    providerSettings('mailjet', { publicApiKey: 'pub-0001' }),
  );
  return {
    'GET /healthz': {},
    'GET /readyz': {},
    'GET /ops/queues': { auth: 'ops' },
    'GET /ops/callbacks': { auth: 'ops' },
    'GET /ops/tenant-backlogs': { auth: 'ops', query: queryString(['limit']) },
    'POST /ops/callbacks': { auth: 'ops', body: body({ enabled: true }, { enabled: false }) },
    'GET /metrics': { auth: 'ops', query: queryString(['name[]', 'x']) },
    'MOUNT /ops/dashboard': {
      auth: 'ops',
      mount: {
        methods: ['GET', 'PUT', 'POST', 'PATCH', 'DELETE'],
        subPaths: [
          '',
          '/',
          '/api/queues',
          '/api/redis/stats',
          '/queue/send',
          '/api/queues/send/x/retry',
          '/api/queues/send/failed/retry',
          '/api/queues/send/retry/failed',
          '/api/queues/send/clean/completed',
          '/api/queues/send/add',
          '/api/queues/nope/pause',
          '/static/x.js',
        ],
      },
      body: body({ name: 'x', data: {} }, { jobId: 'j' }),
    },
    'MOUNT /ui': {
      mount: {
        methods: ['GET', 'HEAD', 'POST'],
        subPaths: [
          '',
          '/',
          '/history',
          '/emails/em_1',
          '/documents/invoice/42',
          '/assets/x.js',
          '/index.html',
          '/../package.json',
          '/%2e%2e/%2e%2e/package.json',
          '/favicon.svg',
        ],
      },
    },
    'GET /v1/openapi.json': {},
    'PUT /v1/tenants/:tenantId': { params: TENANT(f), body: body({ name: 'Fuzz Co', plan: 'premium' }) },
    'GET /v1/tenants/:tenantId': { params: TENANT(f) },
    'POST /v1/tenants/:tenantId/tokens': { params: TENANT(f), body: body({}) },
    'GET /v1/tenants/:tenantId/email-settings': { params: TENANT(f) },
    'PUT /v1/tenants/:tenantId/email-settings': { params: TENANT(f), body: settingsBodies },
    'POST /v1/tenants/:tenantId/email-settings/test': { params: TENANT(f), body: fc.oneof(body({}), settingsBodies) },
    'POST /v1/tenants/:tenantId/email-settings/oauth/:vendor/start': {
      params: { ...TENANT(f), vendor: ['google', 'google', 'microsoft', 'yahoo'] },
      body: body(
        {},
        { returnUrl: 'https://app.fuzz.example/settings?tab=email' },
        { returnUrl: 'https://evil.example/' },
        { via: 'graph' },
        { via: 'smtp', host: '127.0.0.1', port: f.sinkPort, tls: false },
      ),
    },
    'POST /v1/tenants/:tenantId/emails': {
      params: TENANT(f),
      body: body(invoice, { to: ['a@b.example'], subject: 's', text: 't' }),
      idempotent: true,
    },
    'POST /v1/tenants/:tenantId/emails/batch': {
      params: TENANT(f),
      body: body(
        {
          items: [
            { idempotencyKey: 'fz-batch-1', ...invoice },
            { idempotencyKey: 'fz-batch-2', to: ['a@b.example'], subject: 's', text: 't' },
          ],
        },
        { items: [{ idempotencyKey: 'fz-batch-3', to: ['a@b.example'], subject: 's', text: 't' }, { to: [] }, 'x'] },
      ),
    },
    'GET /v1/tenants/:tenantId/emails': {
      params: TENANT(f),
      query: queryString(['documentId', 'documentType', 'status', 'recipient', 'since', 'until', 'test', 'limit', 'cursor']),
    },
    'GET /v1/tenants/:tenantId/emails/:emailId': { params: { ...TENANT(f), emailId: [f.emailId, 'em_000000000000deadbeefdeadbeef'] } },
    'GET /v1/tenants/:tenantId/suppressions': {
      params: TENANT(f),
      query: queryString(['address', 'addressPrefix', 'reason', 'limit', 'cursor']),
    },
    'POST /v1/tenants/:tenantId/suppressions': {
      params: TENANT(f),
      body: body({ address: 'old@customer.example', note: 'left the company' }, { address: 'client@customer.example', reason: 'manual' }),
    },
    'DELETE /v1/tenants/:tenantId/suppressions/:address': {
      params: { ...TENANT(f), address: ['old@customer.example', 'nobody@customer.example'] },
    },
    'POST /v1/tenants/:tenantId/emails/:emailId/retry': {
      params: { ...TENANT(f), emailId: [f.emailId, 'em_000000000000deadbeefdeadbeef'] },
      body: body({}),
    },
    'POST /v1/tenants/:tenantId/emails/:emailId/cancel': {
      params: { ...TENANT(f), emailId: [f.emailId, 'em_000000000000deadbeefdeadbeef'] },
      body: body({}),
    },
  };
}
