import { createHmac, KeyObject, randomBytes, sign } from 'node:crypto';
import fc from 'fast-check';
import { body, mutatedJson, oddString, pathSegment, percentEncode, queryString } from './arbitraries';
import type { RawRequest } from './raw-http';

/**
 * The webhooks app's public routes and what the fuzzer sends them: providers' posts that verify (so
 * the parsers see garbage too) and ones that do not, for tenants configured for each provider and
 * tenants that are not. The routes are found by walking the app; one missing here fails the test.
 */
export interface WebhookFixtures {
  opsToken: string;
  /** Tenants configured for each provider, with the credentials their posts are signed with. */
  sendgrid: { tenant: string; privateKey: KeyObject };
  mailgun: { tenant: string; signingKey: string };
  mailjet: { tenant: string; user: string; password: string };
  pixelToken: string;
  emailId: string;
  /** A state signed with another key: shaped as ours, refused. */
  forgedState: string;
}

const now = () => Math.floor(Date.now() / 1000);

const sendgridEvent = (emailId: string, tenant: string) => ({
  email: 'client@customer.example',
  timestamp: now(),
  event: 'delivered',
  sg_event_id: 'ZGVsaXZlcmVkLTEtMTIz',
  sg_message_id: 'abc.filter',
  response: '250 OK',
  mailroom_email_id: emailId,
  mailroom_tenant_id: tenant,
});

const mailgunEventData = (emailId: string, tenant: string) => ({
  id: 'evt-1',
  timestamp: now() + 0.5,
  event: 'delivered',
  recipient: 'client@customer.example',
  'user-variables': { mailroom_email_id: emailId, mailroom_tenant_id: tenant },
  'delivery-status': { code: 250, message: 'OK' },
  message: { headers: { 'message-id': 'x@mg.example' } },
});

const mailjetEvent = (emailId: string) => ({
  event: 'sent',
  time: now(),
  MessageID: 19421777835146490,
  Message_GUID: '1ab23cd4-e567-8901-2345-6789f0gh1i2j',
  email: 'client@customer.example',
  CustomID: emailId,
  smtp_reply: '250 OK',
});

export function webhooksCatalogue(f: WebhookFixtures): Record<string, fc.Arbitrary<RawRequest>> {
  const json: [string, string] = ['Content-Type', 'application/json'];
  const sendgrid = fc
    .tuple(
      mutatedJson([sendgridEvent(f.emailId, f.sendgrid.tenant)], [sendgridEvent(f.emailId, f.sendgrid.tenant), { event: 'open' }]),
      fc.constantFrom('valid', 'valid', 'valid', 'garbage', 'none', 'stale', 'future'),
      fc.oneof(fc.constant(''), fc.constantFrom('abc', '-1', '1e99', '99999999999999999999', '\u00ff')),
    )
    .map(([text, mode, badTs]): RawRequest => {
      const rawBody = Buffer.from(text, 'utf8');
      const ts = mode === 'stale' ? now() - 86_400 : mode === 'future' ? now() + 86_400 : now();
      const timestamp = badTs && mode === 'garbage' ? badTs : String(ts);
      const signature =
        mode === 'garbage'
          ? randomBytes(70).toString('base64')
          : sign('sha256', Buffer.concat([Buffer.from(timestamp), rawBody]), f.sendgrid.privateKey).toString('base64');
      const headers: [string, string][] =
        mode === 'none'
          ? [json]
          : [json, ['X-Twilio-Email-Event-Webhook-Signature', signature], ['X-Twilio-Email-Event-Webhook-Timestamp', timestamp]];
      return { method: 'POST', path: `/webhooks/sendgrid/${f.sendgrid.tenant}`, headers, body: rawBody };
    });

  const mailgun = fc
    .tuple(
      mutatedJson(mailgunEventData(f.emailId, f.mailgun.tenant)),
      fc.constantFrom('valid', 'valid', 'valid', 'garbage', 'none', 'odd-timestamp', 'odd-token'),
      fc.oneof(oddString, fc.constantFrom<unknown>(null, 1.5, -1, 1e308, true, [], 17e8)),
    )
    .map(([eventData, mode, odd]): RawRequest => {
      const timestamp: unknown = mode === 'odd-timestamp' ? odd : String(now());
      const token: unknown = mode === 'odd-token' ? odd : randomBytes(25).toString('hex');
      const mac =
        typeof timestamp === 'string' && typeof token === 'string'
          ? createHmac('sha256', f.mailgun.signingKey)
              .update(timestamp + token)
              .digest('hex')
          : 'x';
      const signature = { timestamp, token, signature: mode === 'garbage' ? randomBytes(32).toString('hex') : mac };
      // event-data is spliced in as text: it may be nested deeper than JSON.stringify goes.
      const text = `{${mode === 'none' ? '' : `"signature":${JSON.stringify(signature)},`}"event-data":${eventData}}`;
      return { method: 'POST', path: `/webhooks/mailgun/${f.mailgun.tenant}`, headers: [json], body: Buffer.from(text, 'utf8') };
    });

  const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  const mailjet = fc
    .tuple(
      fc.oneof(
        mutatedJson(mailjetEvent(f.emailId), [mailjetEvent(f.emailId), { event: 'open' }]),
        fc.constant('{"MessageID":19421777835146490123456789}'),
      ),
      fc.constantFrom(
        basic(f.mailjet.user, f.mailjet.password),
        basic(f.mailjet.user, f.mailjet.password),
        basic(f.mailjet.user, 'wrong'),
        'Basic %%%',
        'Basic ' + Buffer.from('nocolon').toString('base64'),
        'Bearer x',
        '',
      ),
    )
    .map(([text, auth]): RawRequest => ({
      method: 'POST',
      path: `/webhooks/mailjet/${f.mailjet.tenant}`,
      headers: [json, ...(auth ? ([['Authorization', auth]] as [string, string][]) : [])],
      body: Buffer.from(text, 'utf8'),
    }));

  const anyPost = fc
    .tuple(
      pathSegment('sendgrid', 'mailgun', 'mailjet', 'postmark'),
      pathSegment(f.sendgrid.tenant, f.mailgun.tenant, f.mailjet.tenant, 'nobody'),
      body({ any: 'thing' }, [{ event: 'delivered' }]),
      fc.constantFrom<[string, string][]>(
        [json],
        [['Content-Type', 'text/plain']],
        [['Content-Type', 'application/x-www-form-urlencoded']],
        [],
        [json, ['Content-Encoding', 'gzip']],
      ),
    )
    .map(([provider, tenant, bytes, headers]): RawRequest => ({
      method: 'POST',
      path: `/webhooks/${provider}/${tenant}`,
      headers,
      body: bytes,
    }));

  return {
    'GET /healthz': fc.constant({ method: 'GET', path: '/healthz', headers: [] }),
    'GET /readyz': fc.constant({ method: 'GET', path: '/readyz', headers: [] }),
    'GET /metrics': fc
      .constantFrom(`Bearer ${f.opsToken}`, `bearer ${f.opsToken}`, 'Bearer', 'Bearer x', `Basic ${f.opsToken}`, '', '\u00ff')
      .chain((auth) =>
        fc
          .constantFrom('/metrics', '/metrics?x=1', '/metrics?%zz', '/metrics/', '/metrics%00')
          .map((path) => ({ method: 'GET', path, headers: auth ? [['Authorization', auth] as [string, string]] : [] })),
      ),
    'GET /t/o/:token': fc
      .oneof(fc.constant(f.pixelToken), fc.constant(`${f.pixelToken}.gif`), pathSegment('x'), oddString.map(percentEncode))
      .chain((token) =>
        fc
          .constantFrom<[string, string][]>([], [['User-Agent', 'Mozilla/5.0']], [['User-Agent', '\u00ff'.repeat(5000)]])
          .map((headers) => ({ method: 'GET', path: `/t/o/${token}`, headers })),
      ),
    'POST /webhooks/:provider/:tenantId': fc.oneof(sendgrid, mailgun, mailjet, anyPost),
    // Only states the fuzzer makes up: a forged, garbage or missing state is refused before the vendor is asked.
    'GET /oauth/callback': fc
      .tuple(
        fc.oneof(queryString(['code', 'state', 'error', 'error_description', 'scope']), fc.constant('')),
        fc.constantFrom('', f.forgedState),
      )
      .map(([query, state]) => ({
        method: 'GET',
        path: `/oauth/callback${query ? `?${query}` : ''}${state ? `${query ? '&' : '?'}code=4%2F0A&state=${encodeURIComponent(state)}` : ''}`,
        headers: [],
      })),
  };
}
