// The testkit is a sibling workspace package that transports does not depend on at run time.
import { Fault } from '../../../testkit/src/emulators/http-emulator';
import { SendgridEmulator, startSendgridEmulator } from '../../../testkit/src/emulators/sendgrid';
import { SendgridTransport, SendgridTransportLogger } from './sendgrid-transport';
import { failureOf, invoiceMessage } from '../../test/outgoing-message.fixture';

const HAS_MAIL_SEND = 'SG.blocked-account.' + 'a'.repeat(40);
const NO_MAIL_SEND = 'SG.profile-read-only.' + 'n'.repeat(40);
const UNREADABLE = 'SG.scopes-unreadable.' + 'u'.repeat(40);
const SENDER = 'SG.unverified-sender.' + 's'.repeat(40);

const forbidden: Fault = { kind: 'status', status: 403, body: { errors: [{ message: 'access forbidden', field: null }] } };

/**
 * A send's 403 not about the sender is a key without Mail Send or a block of the account; SendGrid's
 * answer does not tell them apart, the key's scopes (`GET /v3/scopes`, asked once) do (decision 0057).
 */
describe("SendgridTransport: a send's 403 told apart by the key's scopes", () => {
  let sg: SendgridEmulator;
  const logged: object[] = [];
  const logger: SendgridTransportLogger = { debug: (o) => logged.push(o), info: () => {}, warn: () => {}, error: () => {} };
  const transport = (apiKey: string, timeoutMs = 5000) => new SendgridTransport({ apiKey, baseUrl: sg.url, timeoutMs, logger });
  const withKey = (key: string, path: string) => (req: { path: string; headers: { authorization?: string } }) =>
    req.path === path && req.headers.authorization === `Bearer ${key}`;
  const scopeChecks = (key: string) => sg.requests.filter(withKey(key, '/v3/scopes')).length;

  beforeAll(async () => {
    sg = await startSendgridEmulator({ apiKeys: [HAS_MAIL_SEND, UNREADABLE, SENDER], keysWithoutMailSend: [NO_MAIL_SEND] });
  });
  afterAll(() => sg.close());

  it('a key without Mail Send fails for good at once, with the missing-scope hint, and never the key', async () => {
    const err = await failureOf(transport(NO_MAIL_SEND).send(invoiceMessage()));
    expect(err).toMatchObject({
      retryable: false,
      code: 'missing_scope',
      responseCode: 403,
      response: 'access forbidden',
      hintKey: 'sendgrid.missingScope',
    });
    expect(err.hint).toBe(
      'The SendGrid API key lacks Mail Send permission: create a key with Mail Send permission and save it in the email settings.',
    );
    expect(err.hintThen).toBeUndefined();
    expect(err.hintWithoutRetry).toBeUndefined();
    expect(scopeChecks(NO_MAIL_SEND)).toBe(1);
    expect(sg.sent.filter((s) => s.apiKey === NO_MAIL_SEND)).toEqual([]);
    const everything = JSON.stringify({ ...err, message: err.message, stack: err.stack, cause: String(err.cause), logged });
    expect(everything).not.toContain(NO_MAIL_SEND);
    expect(everything).not.toContain('profile-read-only');
    expect(logged).toContainEqual(expect.objectContaining({ code: 'missing_scope', cause: 'key-lacks-mail-send' }));
  });

  it('a key with Mail Send refused anyway is a block of the account: retried, with words that say so', async () => {
    sg.injectFault(forbidden, withKey(HAS_MAIL_SEND, '/v3/mail/send'));
    const err = await failureOf(transport(HAS_MAIL_SEND).send(invoiceMessage()));
    expect(err).toMatchObject({
      retryable: true,
      code: 'http_403',
      responseCode: 403,
      response: 'access forbidden',
      hintKey: 'sendgrid.blocked',
      hintThen: 'retry',
    });
    expect(err.rateLimited).toBeUndefined();
    expect(err.hint).toBe(
      "SendGrid refused access though the API key has the Mail Send permission: SendGrid has blocked the account, perhaps for a while (check the account's status in SendGrid); Mailroom will try again.",
    );
    expect(err.hintWithoutRetry).toMatch(/check the account's status in SendGrid\)\.$/);
    expect(scopeChecks(HAS_MAIL_SEND)).toBe(1);
  });

  it('unreadable scopes (a 401, a 5xx, no list, a dropped connection, no answer in time) keep the 403 as either cause, retried', async () => {
    const unreadable: [string, Fault][] = [
      ['401', { kind: 'status', status: 401, body: { errors: [{ message: 'authorization required' }] } }],
      ['500', { kind: 'status', status: 500, body: { errors: [{ message: 'internal server error' }] } }],
      ['no list', { kind: 'status', status: 200, body: {} }],
      ['dropped', { kind: 'drop' }],
      ['timeout', { kind: 'delay', ms: 900 }],
    ];
    for (const [why, fault] of unreadable) {
      const checksBefore = scopeChecks(UNREADABLE);
      sg.injectFault(forbidden, withKey(UNREADABLE, '/v3/mail/send'));
      sg.injectFault(fault, withKey(UNREADABLE, '/v3/scopes'));
      const started = Date.now();
      const err = await failureOf(transport(UNREADABLE, 250).send(invoiceMessage()));
      // The one question is bounded by the transport's timeout.
      expect([why, Date.now() - started < 700]).toEqual([why, true]);
      expect([why, scopeChecks(UNREADABLE) - checksBefore]).toEqual([why, 1]);
      expect([why, err]).toMatchObject([
        why,
        {
          retryable: true,
          code: 'http_403',
          responseCode: 403,
          response: 'access forbidden',
          hintKey: 'sendgrid.forbidden',
          hintThen: 'retry',
        },
      ]);
      expect(err.hint).toMatch(
        /^SendGrid refused access: either the API key lacks the Mail Send permission .*, or SendGrid has blocked the account for a while; Mailroom will try again\.$/,
      );
      expect(err.hintWithoutRetry).toMatch(/blocked the account for a while\.$/);
    }
    // let the emulator's delayed answer run out so no timer outlives the suite
    await new Promise((r) => setTimeout(r, 700));
  });

  it('a 403 about the sender asks nothing more', async () => {
    const words = 'The from address does not match a verified Sender Identity.';
    sg.injectFault(
      { kind: 'status', status: 403, body: { errors: [{ message: words, field: 'from' }] } },
      withKey(SENDER, '/v3/mail/send'),
    );
    expect(await failureOf(transport(SENDER).send(invoiceMessage()))).toMatchObject({ code: 'sender_not_verified', retryable: false });
    expect(scopeChecks(SENDER)).toBe(0);
  });
});
