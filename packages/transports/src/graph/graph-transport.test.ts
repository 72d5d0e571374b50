import { GraphEmulator, ParsedMail, samplePdfBytes, startGraphEmulator } from '@mailroom/testkit';
import { acmeInvoice, failureOf } from '../../test/outgoing-message.fixture';
import { OAuthBench, startOAuthBench } from '../../test/oauth-bench';
import { FAST_TIMEOUTS, LOCAL_SMTP_HOSTS, smtpTestBench } from '../../test/smtp-test-bench';
import type { AccessTokenSource } from '../access-token-source';
import { SmtpTransport } from '../smtp/smtp-transport';
import { GRAPH_HINTS, GRAPH_RETRIED_HINTS } from './classify-graph-error';
import { GraphTransport } from './graph-transport';

const MAILBOX = 'facturas@contoso.test';
const invoice = (emailId = 'em_g1') =>
  acmeInvoice({
    emailId,
    from: { email: MAILBOX, name: 'Contoso Facturación' },
    replyTo: { email: 'contabilidad@contoso.test' },
    cc: [{ email: 'copia@example.test', name: 'Copia' }],
    bcc: [{ email: 'archivo@contoso.test' }],
    messageId: `<${emailId}@contoso.test>`,
    headers: { 'X-Mailroom-Email-Id': emailId },
  });

describe('GraphTransport against a local Microsoft and Graph', () => {
  const smtp = smtpTestBench();
  let o: OAuthBench;
  let graph: GraphEmulator;
  beforeAll(async () => {
    o = await startOAuthBench('microsoft', MAILBOX);
    graph = await startGraphEmulator({
      tokenOwner: (t) => o.oauth.isValidAccessToken(t),
      tokenIssued: (t) => o.oauth.issuedAccessToken(t),
    });
  });
  afterAll(async () => {
    await graph.close();
    await o.close();
  });
  beforeEach(() => {
    graph.sent.length = 0;
  });

  const transport = (tokens: AccessTokenSource, timeoutMs = 2000) => new GraphTransport({ baseUrl: graph.url, tokens, timeoutMs });

  it('delivers the same MIME message the SMTP path sends: subject, from, attachments, Message-ID, headers', async () => {
    const { mailbox, grant } = await o.connect('tn_graph', 'graph');
    const result = await transport(o.manager().tokensFor(grant)).send(invoice());

    const [viaGraph] = graph.sent;
    expect(viaGraph.mailbox).toBe(MAILBOX);
    expect(graph.requests.at(-1)!.headers['content-type']).toBe('text/plain');
    expect(result).toMatchObject({
      messageId: '<em_g1@contoso.test>',
      recipients: [
        { email: 'cliente@example.test', accepted: true, responseCode: 202 },
        { email: 'copia@example.test', accepted: true, responseCode: 202 },
        { email: 'archivo@contoso.test', accepted: true, responseCode: 202 },
      ],
    });

    // The same email through the SMTP transport, to a real SMTP server.
    const sink = await smtp.sink({ tls: 'starttls', auth: { users: { [mailbox]: 'pw' } } });
    await smtp
      .transport(
        new SmtpTransport({
          host: sink.host,
          port: sink.port,
          tls: false,
          username: mailbox,
          password: 'pw',
          timeouts: FAST_TIMEOUTS,
          hostGuard: LOCAL_SMTP_HOSTS,
        }),
      )
      .send(invoice());
    const [viaSmtp] = await sink.waitForMessages(1);

    const facts = (m: ParsedMail) => ({
      subject: m.subject,
      from: m.from?.value,
      to: m.to,
      cc: m.cc,
      replyTo: m.replyTo?.value,
      messageId: m.messageId,
      emailIdHeader: m.headers.get('x-mailroom-email-id'),
      text: m.text,
      html: m.html,
      attachments: m.attachments.map((a) => ({ filename: a.filename, contentType: a.contentType, content: a.content.toString('base64') })),
    });
    expect(facts(viaGraph.parsed)).toEqual(facts(viaSmtp.parsed));
    expect(facts(viaGraph.parsed).attachments[0].content).toBe(samplePdfBytes().toString('base64'));
    // Graph has no envelope: the Bcc travels in the message (Exchange strips it); SMTP keeps it in the envelope only.
    expect(viaGraph.recipients).toEqual(viaSmtp.envelope.rcptTo);
    expect(viaSmtp.raw.toString('latin1')).not.toMatch(/^bcc:/im);
  });

  it('a refused token (401): one refresh, one more try, delivered', async () => {
    const { grant } = await o.connect('tn_graph401', 'graph');
    const refused = grant.current.accessToken!;
    o.oauth.expireAccessToken(refused);
    const before = o.oauth.stats.refreshes;
    await transport(o.manager().tokensFor(grant)).send(invoice());
    expect(o.oauth.stats.refreshes - before).toBe(1);
    expect(graph.sent).toHaveLength(1);
    expect(graph.requests.slice(-2).map((r) => r.headers.authorization)).toEqual([
      `Bearer ${refused}`,
      `Bearer ${grant.current.accessToken}`,
    ]);
  });

  it('a revoked grant: oauth_reconnect_required, permanent, after one refresh attempt', async () => {
    const { grant } = await o.connect('tn_graph_revoked', 'graph');
    o.oauth.revokeGrant();
    const before = o.oauth.stats.refreshes;
    const e = await failureOf(transport(o.manager().tokensFor(grant)).send(invoice()));
    expect(e).toMatchObject({ code: 'oauth_reconnect_required', retryable: false });
    expect(o.oauth.stats.refreshes - before).toBe(1);
    expect(graph.sent).toHaveLength(0);
  });

  it('401 even with a fresh token: permanent, with the reconnect hint', async () => {
    const picky = await startGraphEmulator({ tokenOwner: () => undefined });
    try {
      const { grant } = await o.connect('tn_graph_picky', 'graph');
      const before = o.oauth.stats.refreshes;
      const e = await failureOf(
        new GraphTransport({ baseUrl: picky.url, tokens: o.manager().tokensFor(grant), timeoutMs: 2000 }).send(invoice()),
      );
      expect(e).toMatchObject({ code: 'http_401', retryable: false, responseCode: 401, ...GRAPH_HINTS.tokenRefused });
      expect(e.response).toMatch(/^InvalidAuthenticationToken: /);
      expect(o.oauth.stats.refreshes - before).toBe(1);
    } finally {
      await picky.close();
    }
  });

  it('429 and 503 are retried after Retry-After; a timeout and a dropped connection are retried', async () => {
    const { grant } = await o.connect('tn_graph_busy', 'graph');
    const t = transport(o.manager().tokensFor(grant), 300);
    graph.throttleNext(3);
    expect(await failureOf(t.send(invoice()))).toMatchObject({
      code: 'http_429',
      retryable: true,
      retryAfterMs: 3000,
      response: 'ApplicationThrottled: Application is over its MailboxConcurrency limit.',
      ...GRAPH_RETRIED_HINTS.throttled,
    });
    graph.unavailableNext(10);
    expect(await failureOf(t.send(invoice()))).toMatchObject({ code: 'http_503', retryable: true, retryAfterMs: 10_000 });
    graph.injectFault({ kind: 'delay', ms: 800 });
    // What nothing retries (the last attempt, a test email) says without the promise: timeouts too.
    expect(await failureOf(t.send(invoice()))).toMatchObject({ code: 'ETIMEDOUT', retryable: true, ...GRAPH_RETRIED_HINTS.unavailable });
    graph.injectFault({ kind: 'drop' });
    expect(await failureOf(t.send(invoice()))).toMatchObject({ retryable: true, ...GRAPH_RETRIED_HINTS.unavailable });
    expect(graph.sent).toHaveLength(0);
  });

  it("Graph's refusals are permanent with its own words: another From, a token without Mail.Send", async () => {
    const { grant } = await o.connect('tn_graph_from', 'graph');
    const sendAs = await failureOf(transport(o.manager().tokensFor(grant)).send(acmeInvoice({ from: { email: 'jefe@contoso.test' } })));
    expect(sendAs).toMatchObject({ code: 'http_403', retryable: false, ...GRAPH_HINTS.sendAsDenied });
    expect(sendAs.response).toMatch(/^ErrorSendAsDenied: /);

    const smtpGrant = await o.connect('tn_graph_smtp_scope', 'smtp');
    const denied = await failureOf(transport(o.manager().tokensFor(smtpGrant.grant)).send(invoice()));
    expect(denied).toMatchObject({ code: 'http_403', retryable: false, ...GRAPH_HINTS.accessDenied });
  });

  it('refuses an email over 4 MB once encoded before asking Graph, permanently', async () => {
    const { grant } = await o.connect('tn_graph_big', 'graph');
    const requests = graph.requests.length;
    const big = acmeInvoice({
      from: { email: MAILBOX },
      attachments: [{ filename: 'big.pdf', contentType: 'application/pdf', content: Buffer.alloc(2_400_000, 7) }],
    });
    expect(await failureOf(transport(o.manager().tokensFor(grant)).send(big))).toMatchObject({
      code: 'graph_message_too_large',
      retryable: false,
      ...GRAPH_HINTS.tooLarge,
    });
    expect(graph.requests.length).toBe(requests);
  });
});
