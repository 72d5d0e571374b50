import {
  MailgunEmulator,
  MailjetEmulator,
  RunningSmtpSink,
  SendgridEmulator,
  startMailgunEmulator,
  startMailjetEmulator,
  startSendgridEmulator,
  startSmtpSink,
} from '@mailroom/testkit';
import { Mailroom, SETTLED, startMailroom, waitForEmail } from './support/mailroom-harness';

const SG_KEY = 'SG.rate-limited.0123456789abcdef';
const MG_KEY = 'key-rate-limited-000000000000001';
const MJ = { public: 'mj-public-rate-0001', private: 'mj-private-rate-0001' };
const USER = 'billing@slow.example';
const PASS = 'pw-slow-smtp';
const RATE_LINES = [
  '450 4.5.127 Message submission rate for this client has exceeded the configured limit',
  '421 4.7.28 Our system has detected an unusual rate of unsolicited mail',
];

/**
 * Provider rate limits (SMTP 421/450 about the rate, HTTP 429) defer the email until the provider's
 * Retry-After WITHOUT using up its attempts: every tenant here has SEND_ATTEMPTS=1, so a rate limit
 * that counted as an attempt would end the email failed. The history shows it deferred, with the
 * time of the next try.
 */
describe('provider rate limits', () => {
  let m: Mailroom;
  let sink: RunningSmtpSink;
  let sg: SendgridEmulator;
  let mg: MailgunEmulator;
  let mj: MailjetEmulator;
  let refusals = 0;

  beforeAll(async () => {
    [sink, sg, mg, mj] = await Promise.all([
      startSmtpSink({
        tls: 'starttls',
        auth: { users: { [USER]: PASS } },
        // The first two messages meet Office 365's and Gmail's rate replies, then the server takes them.
        onDataReply: () => (refusals < RATE_LINES.length ? RATE_LINES[refusals++] : undefined),
      }),
      startSendgridEmulator({ apiKeys: [SG_KEY] }),
      startMailgunEmulator({ region: 'eu', keys: [MG_KEY], domains: ['mg.slow.example'] }),
      startMailjetEmulator({ keys: [MJ], validatedSenders: ['billing@slow.example'] }),
    ]);
    m = await startMailroom({
      SEND_ATTEMPTS: '1',
      RETRY_BASE_MS: '200',
      SENDGRID_API_URL: sg.url,
      MAILGUN_API_URL_EU: mg.url,
      MAILJET_API_URL: mj.url,
    });
    const tenants: [string, string, Record<string, unknown>][] = [
      [
        'premium',
        'smtp',
        { smtp: { preset: 'other', fromAddress: USER, username: USER, password: PASS, host: '127.0.0.1', port: sink.port, tls: false } },
      ],
      ['free', 'provider', { provider: { name: 'sendgrid', fromAddress: 'billing@slow.example', privateApiKey: SG_KEY } }],
      ['free', 'provider', { provider: { name: 'mailgun', fromAddress: 'billing@mg.slow.example', privateApiKey: MG_KEY, region: 'eu' } }],
      [
        'free',
        'provider',
        { provider: { name: 'mailjet', fromAddress: 'billing@slow.example', privateApiKey: MJ.private, publicApiKey: MJ.public } },
      ],
    ];
    for (const [plan, mode, extra] of tenants) {
      const id = mode === 'smtp' ? 'rl-smtp' : `rl-${(extra.provider as { name: string }).name}`;
      await m.call('PUT', `/v1/tenants/${id}`, { name: id, plan });
      const saved = await m.call('PUT', `/v1/tenants/${id}/email-settings`, {
        mode,
        senderName: 'Slow Co',
        replyTo: 'r@slow.example',
        ...extra,
      });
      expect(saved.status).toBe(200);
    }
  });
  afterAll(async () => {
    await m.stop();
    await Promise.all([sink.close(), sg.close(), mg.close(), mj.close()]);
  });

  const send = async (tenant: string) => {
    const r = await m.call('POST', `/v1/tenants/${tenant}/emails`, {
      to: ['client@customer.example'],
      subject: `Invoice ${tenant}`,
      text: 'Attached.',
    });
    expect(r.status).toBe(202);
    return r.body.id as string;
  };

  it('SMTP: two rate-limit replies in a row, then delivered; neither used up the single attempt', async () => {
    const id = await send('rl-smtp');
    const email = await waitForEmail(m, 'rl-smtp', id, SETTLED, 20000);
    expect(email.status).toBe('accepted');
    expect(email.attempts.map((a: any) => [a.ok, a.rateLimited ?? false, a.responseCode])).toEqual([
      [false, true, 450],
      [false, true, 421],
      [true, false, undefined],
    ]);
    expect(email.events.filter((e: any) => e.type === 'deferred')).toHaveLength(2);
    expect(email).not.toHaveProperty('nextAttemptAt');
    expect(sink.messages).toHaveLength(1);
  });

  it.each([
    ['sendgrid', 'rl-sendgrid', () => sg, '/v3/mail/send', { errors: [{ message: 'too many requests', field: null }] }],
    ['mailgun', 'rl-mailgun', () => mg, '/messages', { message: 'Too many requests' }],
    ['mailjet', 'rl-mailjet', () => mj, '/v3.1/send', { ErrorMessage: 'Too many requests', StatusCode: 429 }],
  ])(
    '%s: HTTP 429 with Retry-After: 2 shows the email deferred until then, then delivers it',
    async (_name, tenant, emulator, sendPath, body) => {
      emulator().injectFault({ kind: 'status', status: 429, headers: { 'Retry-After': '2' }, body }, (req) => req.path.endsWith(sendPath));
      const before = Date.now();
      const id = await send(tenant);
      const deferred = await waitForEmail(m, tenant, id, (e) => e.status === 'deferred', 10000);
      const due = Date.parse(deferred.nextAttemptAt);
      expect(due).toBeGreaterThanOrEqual(before + 2000);
      expect(due).toBeLessThan(Date.now() + 2500);
      expect(deferred.recipients[0]).toMatchObject({ status: 'deferred', nextAttemptAt: deferred.nextAttemptAt });
      expect(deferred.attempts[0]).toMatchObject({ ok: false, rateLimited: true, responseCode: 429, code: 'http_429' });

      const sent = await waitForEmail(m, tenant, id, SETTLED, 15000);
      expect(sent.status).toBe('accepted');
      expect(sent.attempts.map((a: any) => a.ok)).toEqual([false, true]);
      // The second try did not come before the provider's time.
      expect(Date.parse(sent.attempts[1].at)).toBeGreaterThanOrEqual(due - 50);
      const job = await m.api.deps.queue.getJob(id);
      expect(job?.attemptsMade ?? 1).toBeLessThanOrEqual(1);
    },
  );
});

describe('past RATE_LIMIT_GRACE_MS a rate limit counts as an attempt', () => {
  let m: Mailroom;
  let sg: SendgridEmulator;
  beforeAll(async () => {
    sg = await startSendgridEmulator({ apiKeys: [SG_KEY] });
    m = await startMailroom({ SEND_ATTEMPTS: '1', RATE_LIMIT_GRACE_MS: '0', SENDGRID_API_URL: sg.url });
    await m.call('PUT', '/v1/tenants/rl-old', { name: 'Old', plan: 'free' });
    await m.call('PUT', '/v1/tenants/rl-old/email-settings', {
      mode: 'provider',
      senderName: 'Old',
      replyTo: 'r@slow.example',
      provider: { name: 'sendgrid', fromAddress: 'billing@slow.example', privateApiKey: SG_KEY },
    });
  });
  afterAll(async () => {
    await m.stop();
    await sg.close();
  });

  it('so an email throttled for longer than that ends failed like any other', async () => {
    sg.injectFault(
      { kind: 'status', status: 429, headers: { 'Retry-After': '1' }, body: { errors: [{ message: 'too many requests' }] } },
      (req) => req.path.endsWith('/v3/mail/send'),
    );
    const id = (await m.call('POST', '/v1/tenants/rl-old/emails', { to: ['c@customer.example'], subject: 'Late', text: 't' })).body.id;
    const email = await waitForEmail(m, 'rl-old', id, SETTLED);
    expect(email).toMatchObject({ status: 'failed', attempts: [{ rateLimited: true, responseCode: 429 }] });
  });
});
