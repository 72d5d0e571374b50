// The testkit is a sibling workspace package that transports does not depend on at run time.
import { SendgridEmulator, sendgridEvents, startSendgridEmulator } from '../../../testkit/src/emulators/sendgrid';
import { registerSendgridWebhook } from './sendgrid-registration';
import { verifySendgridWebhook } from './sendgrid-webhook';
import { failureOf } from '../../test/outgoing-message.fixture';

const KEY = 'SG.full-access.' + 'f'.repeat(40);
const OTHER_ACCOUNT = 'SG.other-account.' + 'o'.repeat(40);
const FULL_ACCOUNT = 'SG.full-account.' + 'x'.repeat(40);
const SEND_ONLY = 'SG.mail-send-only.' + 's'.repeat(40);
const URL_A = 'https://mailroom.example/webhooks/sendgrid/t_a';
const URL_B = 'https://mailroom.example/webhooks/sendgrid/t_b';
const THEIRS = 'https://erp.tenant-a.example/sendgrid-events';

const EVENTS_ON = {
  enabled: true,
  delivered: true,
  processed: true,
  deferred: true,
  bounce: true,
  dropped: true,
  open: true,
  click: true,
  spam_report: true,
  unsubscribe: true,
  group_unsubscribe: true,
};

describe('registerSendgridWebhook: our own webhook among the account webhooks', () => {
  let sg: SendgridEmulator;
  beforeAll(async () => {
    sg = await startSendgridEmulator({
      apiKeys: [KEY, OTHER_ACCOUNT, FULL_ACCOUNT],
      mailSendOnlyKeys: [SEND_ONLY],
      accountOf: (k) => (k === OTHER_ACCOUNT ? 'other' : k === FULL_ACCOUNT ? 'full' : 'shared'),
      maxWebhooks: 3,
    });
  });
  afterAll(() => sg.close());
  const register = (url: string, apiKey = KEY, webhookId?: string) =>
    registerSendgridWebhook({ apiKey, baseUrl: sg.url, timeoutMs: 5000, url, webhookId });
  const verifies = (url: string, key: string) => {
    const hook =
      sg.eventWebhooks('shared').find((h) => h.settings.url === url) ?? sg.eventWebhooks('other').find((h) => h.settings.url === url)!;
    const post = hook.sign([sendgridEvents.delivered({ email: 'c@example.com', customArgs: { mailroom_email_id: 'em_1' } })]);
    const headers = Object.fromEntries(Object.entries(post.headers).map(([k, v]) => [k.toLowerCase(), v]));
    return verifySendgridWebhook({ rawBody: post.rawBody, headers }, key, new Date()).ok;
  };

  it("leaves the tenant's own webhook as it was, and adds ours, signed with a key of its own", async () => {
    const own = sg.addEventWebhook(
      { url: THEIRS, delivered: true, bounce: true, friendly_name: 'ERP' },
      { account: 'shared', signed: true, legacy: true },
    );
    const before = JSON.stringify(own.settings);
    sg.requests.splice(0);

    const reg = await register(URL_A);
    const ours = sg.eventWebhooks('shared').find((h) => h.id === reg.webhookId)!;
    expect(reg).toEqual({ url: URL_A, verificationKey: ours.publicKey, webhookId: ours.id });
    expect(ours.settings).toMatchObject({ ...EVENTS_ON, url: URL_A, friendly_name: 'Mailroom' });
    expect(ours.signed).toBe(true);
    expect(ours.publicKey).not.toBe(own.publicKey);
    expect(JSON.stringify(own.settings)).toBe(before);
    expect(own.signed).toBe(true);
    expect(sg.requests.map((r) => [r.method, r.path, r.headers.authorization])).toEqual([
      ['GET', '/v3/user/webhooks/event/settings/all', `Bearer ${KEY}`],
      ['POST', '/v3/user/webhooks/event/settings', `Bearer ${KEY}`],
      ['PATCH', `/v3/user/webhooks/event/settings/signed/${ours.id}`, `Bearer ${KEY}`],
    ]);
    expect(verifies(URL_A, reg.verificationKey!)).toBe(true);
    expect(verifies(THEIRS, reg.verificationKey!)).toBe(false);
  });

  it('a second tenant on the same account gets a webhook and a key of its own; both keep verifying', async () => {
    const a = await register(URL_A);
    const b = await register(URL_B);
    expect(b.webhookId).not.toBe(a.webhookId);
    expect(b.verificationKey).not.toBe(a.verificationKey);
    expect(sg.eventWebhooks('shared').map((h) => h.settings.url)).toEqual([THEIRS, URL_A, URL_B]);
    expect(verifies(URL_A, a.verificationKey!)).toBe(true);
    expect(verifies(URL_B, b.verificationKey!)).toBe(true);
    expect(verifies(URL_B, a.verificationKey!)).toBe(false);
  });

  it('saving again finds ours by its id (even after our URL moved) and updates it in place, touching nothing else', async () => {
    const first = await register(URL_A);
    const hook = sg.eventWebhooks('shared').find((h) => h.id === first.webhookId)!;
    hook.settings.open = false; // someone switched an event off in SendGrid
    sg.requests.splice(0);
    const moved = 'https://mailroom.new.example/webhooks/sendgrid/t_a';
    const again = await register(moved, KEY, first.webhookId);
    expect(again).toEqual({ url: moved, verificationKey: first.verificationKey, webhookId: first.webhookId });
    expect(hook.settings).toMatchObject({ url: moved, open: true });
    expect(sg.eventWebhooks('shared')).toHaveLength(3);
    expect(sg.requests.map((r) => [r.method, r.path])).toEqual([
      ['GET', '/v3/user/webhooks/event/settings/all'],
      ['PATCH', `/v3/user/webhooks/event/settings/${first.webhookId}`],
      ['PATCH', `/v3/user/webhooks/event/settings/signed/${first.webhookId}`],
    ]);
    await register(URL_A, KEY, first.webhookId);
  });

  it('adopts a webhook the admin made by hand for our URL, turning its signing on', async () => {
    const byHand = sg.addEventWebhook({ url: URL_A, delivered: true }, { account: 'other' });
    const reg = await register(URL_A, OTHER_ACCOUNT);
    expect(reg.webhookId).toBe(byHand.id);
    expect(byHand.signed).toBe(true);
    expect(byHand.settings).toMatchObject(EVENTS_ON);
    expect(sg.eventWebhooks('other')).toHaveLength(1);
  });

  it("an account at its plan's limit: a clear permanent failure, and nothing created or changed", async () => {
    for (const n of [1, 2, 3]) sg.addEventWebhook({ url: `https://elsewhere.example/${n}` }, { account: 'full' });
    const snapshot = JSON.stringify(sg.eventWebhooks('full').map((h) => [h.settings, h.signed]));
    sg.requests.splice(0);
    const err = await failureOf(register(URL_A, FULL_ACCOUNT));
    expect(err).toMatchObject({ code: 'webhook_limit', retryable: false, hint: expect.stringMatching(/delete one.*or paste/) });
    expect(err).toMatchObject({ hintKey: 'sendgrid.webhookLimit', hintParams: { max: 3 } });
    expect(sg.requests.map((r) => r.method)).toEqual(['GET']);
    expect(JSON.stringify(sg.eventWebhooks('full').map((h) => [h.settings, h.signed]))).toBe(snapshot);
  });

  it('explains a key without the Event Webhook permission', async () => {
    const err = await failureOf(register(URL_A, SEND_ONLY));
    expect(err).toMatchObject({ retryable: false, code: 'http_403', response: 'access forbidden' });
    expect(err.hint).toMatch(/lacks the Mail Settings \/ Event Webhook permission.*paste the .*verification key by hand/);
    expect(err.message).not.toContain(SEND_ONLY);
  });

  it('refuses an unknown key for good, saying the key was refused (not a missing permission)', async () => {
    const err = await failureOf(register(URL_A, 'SG.unknown.' + 'u'.repeat(40)));
    expect(err).toMatchObject({ retryable: false, code: 'http_401', hintKey: 'sendgrid.keyRejected' });
    expect(err.hint).toMatch(/^SendGrid rejected the API key/);
  });

  it("reports SendGrid's own trouble as retryable", async () => {
    sg.injectFault(
      { kind: 'status', status: 503, body: { errors: [{ message: 'service unavailable', field: null }] } },
      (req) => req.method === 'PATCH',
    );
    const err = await failureOf(register(URL_A));
    expect(err).toMatchObject({ retryable: true, code: 'http_503', response: 'service unavailable' });
    expect(err.hint).toBe(
      'SendGrid had a temporary problem. Nothing retries the registration: save the email settings again once SendGrid answers.',
    );
  });
});
