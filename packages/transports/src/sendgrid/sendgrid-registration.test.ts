// The testkit is a sibling workspace package that transports does not depend on at run time.
import { SendgridEmulator, sendgridEvents, startSendgridEmulator } from '../../../testkit/src/emulators/sendgrid';
import { registerSendgridWebhook } from './sendgrid-registration';
import { verifySendgridWebhook } from './sendgrid-webhook';
import { failureOf } from '../../test/outgoing-message.fixture';

const KEY = 'SG.full-access.' + 'f'.repeat(40);
const SEND_ONLY = 'SG.mail-send-only.' + 's'.repeat(40);
const URL = 'https://mailroom.example/webhooks/sendgrid/t_1';

describe('registerSendgridWebhook', () => {
  let sg: SendgridEmulator;
  beforeAll(async () => {
    sg = await startSendgridEmulator({ apiKeys: [KEY], mailSendOnlyKeys: [SEND_ONLY] });
  });
  afterAll(() => sg.close());
  const register = (apiKey = KEY) => registerSendgridWebhook({ apiKey, baseUrl: sg.url, timeoutMs: 5000, url: URL });

  it("points the Event Webhook at us, turns signing on, and returns the key that verifies SendGrid's posts", async () => {
    const registration = await register();
    expect(registration).toEqual({ url: URL, verificationKey: sg.publicKey });
    expect(sg.webhook.signed).toBe(true);
    expect(sg.webhook.settings).toMatchObject({
      enabled: true,
      url: URL,
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
    });
    const patches = sg.requests.filter((r) => r.method === 'PATCH').map((r) => [r.path, r.headers.authorization]);
    expect(patches).toEqual([
      ['/v3/user/webhooks/event/settings', `Bearer ${KEY}`],
      ['/v3/user/webhooks/event/settings/signed', `Bearer ${KEY}`],
    ]);

    const post = sg.signEvents([sendgridEvents.delivered({ email: 'c@example.com', customArgs: { mailroom_email_id: 'em_1' } })]);
    const headers = Object.fromEntries(Object.entries(post.headers).map(([k, v]) => [k.toLowerCase(), v]));
    expect(verifySendgridWebhook({ rawBody: post.rawBody, headers }, registration.verificationKey, new Date())).toEqual({ ok: true });
  });

  it('explains a key without the Event Webhook permission', async () => {
    const err = await failureOf(register(SEND_ONLY));
    expect(err).toMatchObject({ retryable: false, code: 'http_403', response: 'access forbidden' });
    expect(err.hint).toMatch(/lacks the Mail Settings \/ Event Webhook permission.*paste the .*verification key by hand/);
    expect(err.message).not.toContain(SEND_ONLY);
  });

  it('refuses an unknown key for good', async () => {
    const err = await failureOf(register('SG.unknown.' + 'u'.repeat(40)));
    expect(err).toMatchObject({ retryable: false, code: 'http_401' });
    expect(err.hint).toMatch(/paste the .*verification key by hand/);
  });

  it("reports SendGrid's own trouble as retryable", async () => {
    sg.injectFault(
      { kind: 'status', status: 503, body: { errors: [{ message: 'service unavailable', field: null }] } },
      (req) => req.method === 'PATCH',
    );
    const err = await failureOf(register());
    expect(err).toMatchObject({ retryable: true, code: 'http_503', response: 'service unavailable' });
  });
});
