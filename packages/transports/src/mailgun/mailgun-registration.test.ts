import { MailgunEmulator, mailgunEvents, startMailgunEmulator } from '../../../testkit/src/emulators/mailgun';
import { MAILGUN_401_HINT } from './classify-mailgun-error';
import { MAILGUN_WEBHOOK_NAMES, mergeWebhookUrls, registerMailgunWebhook } from './mailgun-registration';
import { verifyMailgunWebhook } from './mailgun-webhook';
import { failureOf } from '../../test/outgoing-message.fixture';
import { startWebhookReceiver } from '../../test/webhook-receiver';

const US_KEY = 'key-us-' + 'u'.repeat(32);
const EU_KEY = 'key-eu-' + 'e'.repeat(32);
const OURS = 'https://hooks.mailroom.example/webhooks/mailgun/t_a';

/** Creates a webhook the way another service sharing the domain would (plain HTTP, urlencoded). */
async function createForeignWebhook(mg: MailgunEmulator, key: string, domain: string, id: string, urls: string[]): Promise<void> {
  const form = new URLSearchParams([['id', id], ...urls.map((u): [string, string] => ['url', u])]);
  const res = await fetch(`${mg.url}/v3/domains/${domain}/webhooks`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`api:${key}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: form.toString(),
  });
  expect(res.status).toBe(200);
}

describe('registerMailgunWebhook against the Mailgun emulators', () => {
  let us: MailgunEmulator;
  let eu: MailgunEmulator;
  const register = (o: { domain: string; apiKey?: string; baseUrl?: string; url?: string }) =>
    registerMailgunWebhook({
      apiKey: o.apiKey ?? US_KEY,
      baseUrl: o.baseUrl ?? us.url,
      domain: o.domain,
      timeoutMs: 5000,
      url: o.url ?? OURS,
    });

  beforeAll(async () => {
    us = await startMailgunEmulator({
      region: 'us',
      keys: [US_KEY],
      domains: ['mg.a.example', 'mg.shared.example', 'mg.moved.example', 'mg.full.example'],
    });
    eu = await startMailgunEmulator({ region: 'eu', keys: [EU_KEY], domains: ['mg.eu.example'] });
  });
  afterAll(async () => {
    await us.close();
    await eu.close();
  });

  it("points all eight webhooks at our receiver and returns the signing key, which verifies Mailgun's posts", async () => {
    const registration = await register({ domain: 'mg.a.example' });
    expect(registration.url).toBe(OURS);
    expect(registration.verificationKey).toBe(us.signingKey);
    const hooks = us.webhooksOf('mg.a.example');
    expect(Object.keys(hooks).sort()).toEqual([...MAILGUN_WEBHOOK_NAMES].sort());
    for (const name of MAILGUN_WEBHOOK_NAMES) expect(hooks[name]).toEqual([OURS]);

    // The key verifies what the emulator (Mailgun) posts to a real receiver.
    const outcomes: boolean[] = [];
    const receiver = await startWebhookReceiver('/webhooks/mailgun/t_a', (post) => {
      outcomes.push(verifyMailgunWebhook({ rawBody: post.rawBody, headers: {} }, registration.verificationKey, new Date()).ok);
      return 200;
    });
    try {
      const target = {
        recipient: 'client@example.com',
        messageId: '<em_1@mailroom.example>',
        userVariables: { mailroom_email_id: 'em_1' },
      };
      await us.postEvent(receiver.url, mailgunEvents.delivered(target));
      await us.postEvent(receiver.url, mailgunEvents.delivered(target), { signingKey: 'key-not-the-account-key' });
      expect(outcomes).toEqual([true, false]);
    } finally {
      await receiver.close();
    }
  });

  it('is safe to run again: nothing is duplicated', async () => {
    await register({ domain: 'mg.a.example' });
    const second = await register({ domain: 'mg.a.example' });
    expect(second.verificationKey).toBe(us.signingKey);
    for (const urls of Object.values(us.webhooksOf('mg.a.example'))) expect(urls).toEqual([OURS]);
  });

  it("shares a domain: another service's URL is kept beside ours (Mailgun would answer 400 to a second create)", async () => {
    await createForeignWebhook(us, US_KEY, 'mg.shared.example', 'delivered', ['https://crm.example/mailgun']);
    await register({ domain: 'mg.shared.example' });
    const hooks = us.webhooksOf('mg.shared.example');
    expect(hooks.delivered).toEqual(['https://crm.example/mailgun', OURS]);
    expect(hooks.opened).toEqual([OURS]);
  });

  it("replaces this tenant's receiver at a previous public address instead of keeping both", async () => {
    await createForeignWebhook(us, US_KEY, 'mg.moved.example', 'delivered', [
      'https://old-hooks.example/webhooks/mailgun/t_a',
      'https://crm.example/mailgun',
    ]);
    await register({ domain: 'mg.moved.example' });
    expect(us.webhooksOf('mg.moved.example').delivered).toEqual(['https://crm.example/mailgun', OURS]);
  });

  it("refuses, with a hint, when a webhook already has Mailgun's three URLs", async () => {
    await createForeignWebhook(us, US_KEY, 'mg.full.example', 'permanent_fail', [
      'https://a.example/h',
      'https://b.example/h',
      'https://c.example/h',
    ]);
    const err = await failureOf(register({ domain: 'mg.full.example' }));
    expect(err).toMatchObject({ code: 'webhook_slots_full', retryable: false });
    expect(err.hint).toContain('"permanent_fail" webhook of mg.full.example');
    expect(err).toMatchObject({
      hintKey: 'mailgun.webhookSlotsFull',
      hintParams: { max: 3, webhook: 'permanent_fail', domain: 'mg.full.example' },
    });
    // Refused before anything changed: no webhook half-registered.
    expect(us.webhooksOf('mg.full.example')).toEqual({
      permanent_fail: ['https://a.example/h', 'https://b.example/h', 'https://c.example/h'],
    });
  });

  it('the wrong region answers 401: permanent, with the key-or-region hint', async () => {
    const err = await failureOf(register({ domain: 'mg.eu.example', apiKey: EU_KEY, baseUrl: us.url }));
    expect(err).toMatchObject({ code: 'http_401', retryable: false, response: 'Forbidden', ...MAILGUN_401_HINT });
    const ok = await register({ domain: 'mg.eu.example', apiKey: EU_KEY, baseUrl: eu.url });
    expect(ok.verificationKey).toBe(eu.signingKey);
    expect(ok.verificationKey).not.toBe(us.signingKey);
  });

  it('an unknown domain answers 404 with the domain named in the hint', async () => {
    const err = await failureOf(register({ domain: 'mg.nowhere.example' }));
    expect(err).toMatchObject({ code: 'http_404', retryable: false });
    expect(err.hint).toContain('the domain mg.nowhere.example is not in this Mailgun account/region');
  });

  it('an unreachable or failing Mailgun is temporary, and the hint says to save again (nothing retries a registration)', async () => {
    us.injectFault({ kind: 'status', status: 503, body: { message: 'Service Unavailable' } });
    const failing = await failureOf(register({ domain: 'mg.a.example' }));
    expect(failing).toMatchObject({ code: 'http_503', retryable: true, hint: expect.stringMatching(/save the email settings again/) });
    expect(failing.hint).not.toMatch(/will be retried/);
    const unreachable = await failureOf(register({ domain: 'mg.a.example', baseUrl: 'http://127.0.0.1:1' }));
    expect(unreachable.hint).toBe(
      'Mailgun could not be reached. Nothing retries the registration: save the email settings again once Mailgun answers.',
    );
  });
});

describe('mergeWebhookUrls', () => {
  it('adds ours, keeps others, replaces ours at an old origin, and says when nothing changes', () => {
    expect(mergeWebhookUrls([], OURS)).toEqual([OURS]);
    expect(mergeWebhookUrls([OURS], OURS)).toBeUndefined();
    expect(mergeWebhookUrls(['https://x.example/a'], OURS)).toEqual(['https://x.example/a', OURS]);
    expect(mergeWebhookUrls(['http://localhost:8081/webhooks/mailgun/t_a'], OURS)).toEqual([OURS]);
    expect(mergeWebhookUrls(['https://hooks.mailroom.example/webhooks/mailgun/t_b'], OURS)).toEqual([
      'https://hooks.mailroom.example/webhooks/mailgun/t_b',
      OURS,
    ]);
  });
});
