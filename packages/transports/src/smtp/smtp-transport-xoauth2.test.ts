import type { RunningSmtpSink } from '@mailroom/testkit';
import { acmeInvoice, failureOf } from '../../test/outgoing-message.fixture';
import { OAuthBench, startOAuthBench } from '../../test/oauth-bench';
import { FAST_TIMEOUTS, LOCAL_SMTP_HOSTS, smtpTestBench } from '../../test/smtp-test-bench';
import type { AccessTokenSource } from '../access-token-source';
import { SmtpTransport } from './smtp-transport';
import { XOAUTH2_HINTS } from './smtp-xoauth2-login';

const GMAIL_SCOPE = 'https://mail.google.com/';
const OUTLOOK_SCOPE = 'https://outlook.office.com/SMTP.Send';

/** An invoice from the connected mailbox itself, as the worker builds it for an OAuth-connected tenant. */
const invoiceFrom = (mailbox: string, emailId = 'em_01') =>
  acmeInvoice({ emailId, from: { email: mailbox, name: 'Acme Facturación, S.L.' }, messageId: `<${emailId}@acme.test>` });

describe.each([
  { flavour: 'google' as const, style: 'gmail' as const, scope: GMAIL_SCOPE, preset: 'gmail' as const, tls: 'implicit' as const },
  {
    flavour: 'microsoft' as const,
    style: 'office365' as const,
    scope: OUTLOOK_SCOPE,
    preset: 'outlook' as const,
    tls: 'starttls' as const,
  },
])('SmtpTransport with XOAUTH2 ($flavour, a $style server)', ({ flavour, style, scope, preset, tls }) => {
  const bench = smtpTestBench();
  let o: OAuthBench;
  /** Every token the server was shown, to see which token each new connection used (a test may look; the sink never records them). */
  let shown: string[];

  beforeAll(async () => {
    o = await startOAuthBench(flavour, 'facturas@acme.test');
  });
  afterAll(() => o.close());
  beforeEach(() => {
    shown = [];
  });

  const sink = () =>
    bench.sink({
      tls,
      auth: { users: {}, xoauth2: { style, mailboxOf: (t) => (shown.push(t), o.oauth.isValidAccessToken(t, scope)?.email) } },
    });
  const transport = (
    s: RunningSmtpSink,
    user: string,
    tokens: AccessTokenSource,
    pool?: { maxConnections?: number; maxMessages?: number },
  ) =>
    bench.transport(
      new SmtpTransport({
        host: s.host,
        port: s.port,
        tls: tls === 'implicit',
        preset,
        oauth2: { user, tokens },
        timeouts: FAST_TIMEOUTS,
        pool,
        hostGuard: LOCAL_SMTP_HOSTS,
      }),
    );

  it('after the whole connect flow, delivers over XOAUTH2 with the connected mailbox as From', async () => {
    const s = await sink();
    const { mailbox, grant } = await o.connect('tn_acme');
    const t = transport(s, mailbox, o.manager().tokensFor(grant));
    await t.verify();
    const result = await t.send(invoiceFrom(mailbox));

    const [received] = await s.waitForMessages(1);
    expect(received.user).toBe('facturas@acme.test');
    expect(received.secure).toBe(true);
    expect(received.envelope.mailFrom).toBe('facturas@acme.test');
    expect(received.parsed.from?.value).toEqual([{ address: 'facturas@acme.test', name: 'Acme Facturación, S.L.' }]);
    expect(result.recipients).toEqual([expect.objectContaining({ email: 'cliente@example.test', accepted: true })]);
    expect(s.authAttempts.map((a) => [a.method, a.ok])).toEqual([
      ['XOAUTH2', true],
      ['XOAUTH2', true],
    ]);
  });

  it('10 concurrent sends with an expired token on two workers: one refresh, all delivered, new connections on the new token', async () => {
    const s = await sink();
    const { mailbox, grant } = await o.connect('tn_concurrent');
    const stale = grant.current.accessToken!;
    grant.current.accessTokenExpiresAt = Date.now() - 1000;
    const workerA = transport(s, mailbox, o.manager().tokensFor(grant), { maxConnections: 2 });
    const workerB = transport(s, mailbox, o.manager(o.redis.another()).tokensFor(grant), { maxConnections: 2 });
    const before = o.oauth.stats.refreshes;
    o.oauth.injectFault({ kind: 'delay', ms: 200 }, (req) => req.path.endsWith('token'));

    await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? workerA : workerB).send(invoiceFrom(mailbox, `em_${i}`))));

    expect(o.oauth.stats.refreshes - before).toBe(1);
    await s.waitForMessages(10);
    expect(grant.writes).toHaveLength(1);
    expect(new Set(shown)).toEqual(new Set([grant.current.accessToken]));
    expect(shown).not.toContain(stale);
    expect(s.authAttempts.every((a) => a.ok)).toBe(true);
  });

  it('a token the server refuses though it looks fresh: refreshed once, sent once more, delivered', async () => {
    const s = await sink();
    const { mailbox, grant } = await o.connect('tn_refused');
    const refused = grant.current.accessToken!;
    o.oauth.expireAccessToken(refused);
    const before = o.oauth.stats.refreshes;

    await transport(s, mailbox, o.manager().tokensFor(grant)).send(invoiceFrom(mailbox));

    expect(o.oauth.stats.refreshes - before).toBe(1);
    expect(s.authAttempts.map((a) => a.ok)).toEqual([false, true]);
    expect(shown).toEqual([refused, grant.current.accessToken]);
    expect(s.messages).toHaveLength(1);
  });

  it('a revoked grant fails the email for good with oauth_reconnect_required, after one refresh attempt', async () => {
    const s = await sink();
    const { mailbox, grant } = await o.connect('tn_revoked');
    o.oauth.revokeGrant();
    const before = o.oauth.stats.refreshes;

    const e = await failureOf(transport(s, mailbox, o.manager().tokensFor(grant)).send(invoiceFrom(mailbox)));

    expect(e).toMatchObject({ code: 'oauth_reconnect_required', retryable: false, responseCode: 400 });
    expect(e.response).toMatch(/^invalid_grant: /);
    expect(e.hint).toMatch(/Reconnect the mailbox with (Google|Microsoft)/);
    expect(o.oauth.stats.refreshes - before).toBe(1);
    expect(s.messages).toHaveLength(0);
  });

  it('a server that keeps refusing fresh tokens: one refresh, then a permanent login failure with OAuth words', async () => {
    const s = await bench.sink({ tls, auth: { users: {}, xoauth2: { style, mailboxOf: () => undefined } } });
    const { mailbox, grant } = await o.connect('tn_disabled');
    const before = o.oauth.stats.refreshes;

    const e = await failureOf(transport(s, mailbox, o.manager().tokensFor(grant)).send(invoiceFrom(mailbox)));

    expect(e).toMatchObject({ code: 'EAUTH', retryable: false });
    expect(e).toMatchObject(flavour === 'google' ? XOAUTH2_HINTS.gmailTokenRefused : XOAUTH2_HINTS.microsoftTokenRefused);
    expect(o.oauth.stats.refreshes - before).toBe(1);
    expect(s.authAttempts.map((a) => a.ok)).toEqual([false, false]);
    expect(JSON.stringify({ ...e, message: e.message })).not.toContain(grant.current.accessToken!);
  });
});

describe('SmtpTransport with XOAUTH2 and a pool', () => {
  const bench = smtpTestBench();
  let o: OAuthBench;
  beforeAll(async () => {
    o = await startOAuthBench('microsoft', 'facturas@contoso.test');
  });
  afterAll(() => o.close());

  it('keeps a logged-in connection, and logs new connections in with the token another worker refreshed', async () => {
    const shown: string[] = [];
    const s = await bench.sink({
      tls: 'starttls',
      auth: {
        users: {},
        xoauth2: { style: 'office365', mailboxOf: (t) => (shown.push(t), o.oauth.isValidAccessToken(t, OUTLOOK_SCOPE)?.email) },
      },
    });
    const { mailbox, grant } = await o.connect('tn_pool');
    const t = bench.transport(
      new SmtpTransport({
        host: s.host,
        port: s.port,
        tls: false,
        preset: 'outlook',
        oauth2: { user: mailbox, tokens: o.manager().tokensFor(grant) },
        timeouts: FAST_TIMEOUTS,
        pool: { maxConnections: 1, maxMessages: 2 },
        hostGuard: LOCAL_SMTP_HOSTS,
      }),
    );
    const first = grant.current.accessToken!;
    await t.send(invoiceFrom(mailbox, 'em_1'));
    await t.send(invoiceFrom(mailbox, 'em_2'));

    // Another worker refreshes (the stored token nears its end); this transport is not rebuilt.
    grant.current.accessTokenExpiresAt = Date.now() + 60_000;
    await o.manager(o.redis.another()).getAccessToken(grant);
    const second = grant.current.accessToken!;
    expect(second).not.toBe(first);
    await t.send(invoiceFrom(mailbox, 'em_3'));

    await s.waitForMessages(3);
    expect(shown).toEqual([first, second]);
    expect(s.connections).toHaveLength(2);
  });

  it('password logins are untouched by the OAuth option', async () => {
    const s = await bench.sink({ tls: 'starttls', auth: { users: { 'facturas@acme.test': 'pw' } } });
    await bench
      .transport(
        new SmtpTransport({
          host: s.host,
          port: s.port,
          tls: false,
          username: 'facturas@acme.test',
          password: 'pw',
          timeouts: FAST_TIMEOUTS,
          hostGuard: LOCAL_SMTP_HOSTS,
        }),
      )
      .send(acmeInvoice());
    expect(s.authAttempts).toEqual([expect.objectContaining({ method: 'PLAIN', ok: true })]);
  });
});
