import type { CallbackReceiver, SendgridEmulator } from '@mailroom/testkit';
import { Mailroom, SETTLED, waitFor, waitForEmail } from './support/mailroom-harness';
import { OnSendgrid, sendgridInvoice as invoice, sendgridSettings, startOnSendgrid } from './support/sendgrid-tenant';

/** Keys of tenants whose sends the tests refuse with injected 403s (matched by key, so no other send takes them). */
const KEY_BLOCKED = 'SG.blocked-for-a-while.0000000001';
const KEY_BLOCKED_LONG = 'SG.blocked-for-long.00000000002';
const KEY_UNVERIFIED = 'SG.unverified-sender.0000000003';
const KEY_TEST_BLOCKED = 'SG.test-email-blocked.000000004';
/** Keys without the Mail Send permission: SendGrid itself answers their sends 403. */
const KEY_NO_MAIL_SEND = 'SG.no-mail-send.000000000000006';
const KEY_TEST_NO_MAIL_SEND = 'SG.test-no-mail-send.000000007';

/**
 * SendGrid's 403 (decision 0057): about the sender, it fails at once; otherwise the key's scopes tell
 * a key without Mail Send (failed at once) from a block of the account (retried), and the platform
 * hears of either at the first refusal.
 */
describe("a tenant's SendGrid account refusing access", () => {
  let on: OnSendgrid;
  let m: Mailroom;
  let sg: SendgridEmulator;
  let platform: CallbackReceiver;
  beforeAll(async () => {
    on = await startOnSendgrid({
      apiKeys: [KEY_BLOCKED, KEY_BLOCKED_LONG, KEY_UNVERIFIED, KEY_TEST_BLOCKED],
      keysWithoutMailSend: [KEY_NO_MAIL_SEND, KEY_TEST_NO_MAIL_SEND],
    });
    ({ m, sg, platform } = on);
  });
  afterAll(() => on.stop());

  const saveSendgrid = (tenant: string, key: string) =>
    m.call('PUT', `/v1/tenants/${tenant}/email-settings`, sendgridSettings(tenant, key));
  const sendsWith = (key: string) => (req: { path: string; headers: { authorization?: string } }) =>
    req.path === '/v3/mail/send' && req.headers.authorization === `Bearer ${key}`;
  const scopeChecksBy = (key: string) =>
    sg.requests.filter((r) => r.path === '/v3/scopes' && r.headers.authorization === `Bearer ${key}`).length;
  const forbidden = { kind: 'status' as const, status: 403, body: { errors: [{ message: 'access forbidden', field: null, help: null }] } };
  const failingOf = (tenant: string) =>
    platform.delivered().filter((c) => c.payload.type === 'settings.failing' && c.payload.data.tenantId === tenant);
  const callbacksOf = (emailId: string, type: string) =>
    platform.delivered().filter((c) => c.payload.type === type && c.payload.data.emailId === emailId);
  const settle = () => new Promise((r) => setTimeout(r, 300));

  it('a key without Mail Send: failed after one attempt with the missing-scope hint, one email.failed, told once', async () => {
    await m.call('PUT', '/v1/tenants/sgnoscope', { name: 'No Mail Send', plan: 'free' });
    expect((await saveSendgrid('sgnoscope', KEY_NO_MAIL_SEND)).status).toBe(200);
    const id = (await m.call('POST', '/v1/tenants/sgnoscope/emails', invoice('SG-403-NS'))).body.id;
    const email = await waitForEmail(m, 'sgnoscope', id, SETTLED);
    expect(email.status).toBe('failed');
    expect(email.attempts).toHaveLength(1);
    expect(email.attempts[0]).toMatchObject({
      ok: false,
      code: 'missing_scope',
      responseCode: 403,
      response: 'access forbidden',
      retryable: false,
      hintKey: 'sendgrid.missingScope',
      hint: expect.stringMatching(/^The SendGrid API key lacks Mail Send permission: create a key with Mail Send permission/),
    });
    expect(email.attempts[0].hintThen).toBeUndefined();
    expect(email.recipients.every((r: any) => r.status === 'failed')).toBe(true);
    expect(scopeChecksBy(KEY_NO_MAIL_SEND)).toBe(1);
    expect(sg.sent.filter((s) => s.apiKey === KEY_NO_MAIL_SEND)).toEqual([]);
    const [failed] = await waitFor(async () => {
      const found = callbacksOf(id, 'email.failed');
      return found.length > 0 && found;
    }, 'the email.failed callback');
    expect(failed.payload.data).toMatchObject({
      status: 'failed',
      reply: { code: 'missing_scope', responseCode: 403, hintKey: 'sendgrid.missingScope' },
    });
    const told = await waitFor(async () => failingOf('sgnoscope')[0], 'the settings.failing callback');
    expect(told.payload.data).toMatchObject({
      reason: 'provider_access_denied',
      mode: 'provider',
      provider: 'sendgrid',
      reply: { code: 'missing_scope', responseCode: 403, response: 'access forbidden', hintKey: 'sendgrid.missingScope' },
    });
    await settle();
    expect(callbacksOf(id, 'email.failed')).toHaveLength(1);
    expect(callbacksOf(id, 'email.deferred')).toEqual([]);
    expect(failingOf('sgnoscope')).toHaveLength(1);
    expect((await m.api.deps.store.settings.get('sgnoscope'))!.lastFailure).toMatchObject({
      code: 'missing_scope',
      hintKey: 'sendgrid.missingScope',
    });
    const settings = (await m.call('GET', '/v1/tenants/sgnoscope/email-settings')).body;
    expect(settings.warnings).toContainEqual(
      expect.objectContaining({ code: 'last_send_failed', failure: expect.objectContaining({ code: 'missing_scope' }) }),
    );
    expect(JSON.stringify({ email, settings, callbacks: platform.delivered() })).not.toContain(KEY_NO_MAIL_SEND);
  });

  it('a test email with a key without Mail Send says so at once, remembered on the settings and told once', async () => {
    await m.call('PUT', '/v1/tenants/sgtestnoscope', { name: 'Test no Mail Send', plan: 'free' });
    expect((await saveSendgrid('sgtestnoscope', KEY_TEST_NO_MAIL_SEND)).status).toBe(200);
    const r = await m.call('POST', '/v1/tenants/sgtestnoscope/email-settings/test', {});
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      ok: false,
      error: { code: 'missing_scope', response: 'access forbidden', hintKey: 'sendgrid.missingScope' },
    });
    expect(r.body.error.hint).toMatch(/lacks Mail Send permission/);
    expect(r.body.error.hintThen).toBeUndefined();
    expect((await m.api.deps.store.settings.get('sgtestnoscope'))!.lastFailure).toMatchObject({
      code: 'missing_scope',
      hintKey: 'sendgrid.missingScope',
      hint: r.body.error.hint,
    });
    const told = await waitFor(async () => failingOf('sgtestnoscope')[0], 'the settings.failing callback');
    expect(told.payload.data).toMatchObject({ reason: 'provider_access_denied', reply: { code: 'missing_scope' } });
    await settle();
    expect(failingOf('sgtestnoscope')).toHaveLength(1);
  });

  it('a 403 to a key that has Mail Send is a block: retried, then accepted; the platform is told at the first one, once', async () => {
    await m.call('PUT', '/v1/tenants/sgblock', { name: 'Blocked for a while', plan: 'free' });
    expect((await saveSendgrid('sgblock', KEY_BLOCKED)).status).toBe(200);
    sg.injectFault(forbidden, sendsWith(KEY_BLOCKED));
    const id = (await m.call('POST', '/v1/tenants/sgblock/emails', invoice('SG-403'))).body.id;
    const email = await waitForEmail(m, 'sgblock', id, SETTLED);
    expect(email.status).toBe('accepted');
    expect(email.attempts.map((a: any) => [a.ok, a.responseCode ?? null])).toEqual([
      [false, 403],
      [true, null],
    ]);
    expect(email.attempts[0]).toMatchObject({
      code: 'http_403',
      retryable: true,
      response: 'access forbidden',
      hintKey: 'sendgrid.blocked',
      hintThen: 'retry',
      hint: expect.stringMatching(
        /the API key has the Mail Send permission: SendGrid has blocked the account.*; Mailroom will try again\.$/,
      ),
    });
    expect(scopeChecksBy(KEY_BLOCKED)).toBe(1);
    // Deferred in between, with the next try's time, as any retry.
    const deferred = await waitFor(
      async () => platform.delivered().find((c) => c.payload.type === 'email.deferred' && (c.payload.data as any).emailId === id),
      'the email.deferred callback',
    );
    expect(deferred.payload.data).toMatchObject({ status: 'deferred', reply: { code: 'http_403', responseCode: 403, hintThen: 'retry' } });
    expect(email.events.find((e: any) => e.type === 'deferred' && e.source === 'worker')).toBeDefined();
    const told = await waitFor(async () => failingOf('sgblock')[0], 'the settings.failing callback');
    expect(told.payload.data).toMatchObject({
      reason: 'provider_access_denied',
      mode: 'provider',
      provider: 'sendgrid',
      reply: { code: 'http_403', responseCode: 403, response: 'access forbidden', hintKey: 'sendgrid.blocked' },
    });
    await settle();
    expect(failingOf('sgblock')).toHaveLength(1);
    // The success ended the episode: the settings show no failure any more.
    expect((await m.api.deps.store.settings.get('sgblock'))!.lastFailure).toBeUndefined();
  });

  it('a 403 on every attempt ends failed with the same reason after the last one, told once', async () => {
    await m.call('PUT', '/v1/tenants/sgblocked', { name: 'Blocked for long', plan: 'free' });
    expect((await saveSendgrid('sgblocked', KEY_BLOCKED_LONG)).status).toBe(200);
    for (let i = 0; i < 4; i++) sg.injectFault(forbidden, sendsWith(KEY_BLOCKED_LONG)); // SEND_ATTEMPTS in the harness
    const id = (await m.call('POST', '/v1/tenants/sgblocked/emails', invoice('SG-403-4'))).body.id;
    const email = await waitForEmail(m, 'sgblocked', id, SETTLED);
    expect(email.status).toBe('failed');
    expect(email.attempts.map((a: any) => [a.code, a.retryable, a.hintKey])).toEqual(Array(4).fill(['http_403', true, 'sendgrid.blocked']));
    expect(email.attempts[3]).toMatchObject({ hintThen: 'lastAttempt', hint: expect.stringMatching(/Tried 4 times/) });
    expect(email.recipients.every((r: any) => r.status === 'failed' && r.reason === 'access forbidden')).toBe(true);
    await waitFor(async () => failingOf('sgblocked')[0], 'the settings.failing callback');
    await settle();
    expect(failingOf('sgblocked').map((c) => (c.payload.data as any).reason)).toEqual(['provider_access_denied']);
    expect((await m.api.deps.store.settings.get('sgblocked'))!.lastFailure).toMatchObject({ code: 'http_403', hintThen: 'lastAttempt' });
  });

  it('a 403 about the sender still fails at once, told as the sender', async () => {
    await m.call('PUT', '/v1/tenants/sgsender', { name: 'Unverified sender', plan: 'free' });
    expect((await saveSendgrid('sgsender', KEY_UNVERIFIED)).status).toBe(200);
    const words = 'The from address does not match a verified Sender Identity. Mail cannot be sent until this error is resolved.';
    sg.injectFault(
      { kind: 'status', status: 403, body: { errors: [{ message: words, field: 'from', help: null }] } },
      sendsWith(KEY_UNVERIFIED),
    );
    const id = (await m.call('POST', '/v1/tenants/sgsender/emails', invoice('SG-403-S'))).body.id;
    const email = await waitForEmail(m, 'sgsender', id, SETTLED);
    expect(email.status).toBe('failed');
    expect(email.attempts).toHaveLength(1);
    expect(email.attempts[0]).toMatchObject({
      code: 'sender_not_verified',
      responseCode: 403,
      retryable: false,
      hintKey: 'sendgrid.senderNotVerified',
    });
    const told = await waitFor(async () => failingOf('sgsender')[0], 'the settings.failing callback');
    expect(told.payload.data).toMatchObject({
      reason: 'provider_sender_rejected',
      provider: 'sendgrid',
      reply: { code: 'sender_not_verified' },
    });
  });

  it('a test email refused with a 403 to a key that has Mail Send: the answer promises no retry, the settings remember it, told once', async () => {
    await m.call('PUT', '/v1/tenants/sgtest403', { name: 'Test blocked', plan: 'free' });
    expect((await saveSendgrid('sgtest403', KEY_TEST_BLOCKED)).status).toBe(200);
    sg.injectFault(forbidden, sendsWith(KEY_TEST_BLOCKED));
    const r = await m.call('POST', '/v1/tenants/sgtest403/email-settings/test', {});
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      ok: false,
      error: { code: 'http_403', response: 'access forbidden', hintKey: 'sendgrid.blocked', hintThen: 'testEmail' },
    });
    // Nothing retries a test email: the send's "Mailroom will try again" becomes "send it again later".
    expect(r.body.error.hint).toMatch(/status in SendGrid\)\. Nothing retries a test email: send it again later\.$/);
    expect(r.body.error.hint).not.toMatch(/will try again/);
    const { lastFailure } = (await m.api.deps.store.settings.get('sgtest403'))!;
    expect(lastFailure).toMatchObject({
      code: 'http_403',
      responseCode: 403,
      response: 'access forbidden',
      hintKey: 'sendgrid.blocked',
      hintThen: 'testEmail',
      hint: r.body.error.hint,
    });
    const told = await waitFor(async () => failingOf('sgtest403')[0], 'the settings.failing callback');
    expect(told.payload.data).toMatchObject({
      reason: 'provider_access_denied',
      mode: 'provider',
      provider: 'sendgrid',
      reply: { code: 'http_403', responseCode: 403, hintKey: 'sendgrid.blocked' },
    });
    await settle();
    expect(failingOf('sgtest403')).toHaveLength(1);
  });
});
