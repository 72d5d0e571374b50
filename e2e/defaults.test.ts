import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { Mailroom, SETTLED, startMailroom, waitFor, waitForEmail } from './support/mailroom-harness';

/**
 * A new tenant sends at once: without saved settings it is in platform mode (its name as the sender,
 * its contact email as Reply-To), the settings answer says so (`configured: false`), and the test
 * email goes to its contact email. Platform mail goes to an outbox directory asked for by name.
 */
describe('a tenant that never saved settings', () => {
  let m: Mailroom;
  const outbox = fs.mkdtempSync(path.join(os.tmpdir(), 'mailroom-outbox-'));
  beforeAll(async () => {
    m = await startMailroom({ PLATFORM_TRANSPORT: `file://${outbox}`, PLATFORM_FROM: 'documents@platform.example' });
  });
  afterAll(async () => {
    await m.stop();
    fs.rmSync(outbox, { recursive: true, force: true });
  });

  const readEml = async (id: string) => simpleParser(fs.readFileSync(path.join(outbox, `${id}.eml`)));

  it('takes a contact email on the tenant, validated and lower-cased; left out keeps it, null removes it', async () => {
    const created = await m.call('PUT', '/v1/tenants/fresh', { name: 'Fresh Foods S.L.', plan: 'free', email: ' Hola@Fresh.EXAMPLE ' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: 'fresh', name: 'Fresh Foods S.L.', plan: 'free', email: 'hola@fresh.example' });
    expect((await m.call('PUT', '/v1/tenants/fresh', { name: 'Fresh Foods S.L.', plan: 'free' })).body.email).toBe('hola@fresh.example');
    expect((await m.call('GET', '/v1/tenants/fresh')).body.email).toBe('hola@fresh.example');

    const bad = await m.call('PUT', '/v1/tenants/fresh', { name: 'Fresh', plan: 'free', email: 'not-an-address' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].field).toBe('email');
    const wrongType = await m.call('PUT', '/v1/tenants/fresh', { name: 'Fresh', plan: 'free', email: 42 });
    expect(wrongType.status).toBe(400);
    expect(wrongType.body.error.message).toMatch(/^email/);

    await m.call('PUT', '/v1/tenants/gone-mail', { name: 'Gone', plan: 'free', email: 'a@gone.example' });
    const removed = await m.call('PUT', '/v1/tenants/gone-mail', { name: 'Gone', plan: 'free', email: null });
    expect(removed.body).not.toHaveProperty('email');
  });

  it('answers the platform defaults with configured: false', async () => {
    const r = await m.call('GET', '/v1/tenants/fresh/email-settings');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      configured: false,
      mode: 'platform',
      senderName: 'Fresh Foods S.L.',
      replyTo: 'hola@fresh.example',
      cc: [],
      bcc: [],
      version: 0,
      updatedAt: null,
      warnings: [],
      transport: { mode: 'platform' },
      plan: 'free',
      allowedModes: ['platform', 'provider'],
    });
    const noMail = await m.call('GET', '/v1/tenants/gone-mail/email-settings');
    expect(noMail.body.warnings).toEqual([{ code: 'reply_to_missing', message: expect.stringMatching(/no address receives replies/) }]);
  });

  it('sends a document at once through the platform, under its name, replies to its email', async () => {
    const r = await m.call('POST', '/v1/tenants/fresh/emails', {
      to: ['client@customer.example'],
      subject: 'Invoice FF-1',
      text: 'Attached.',
    });
    expect(r.status).toBe(202);
    const email = await waitForEmail(m, 'fresh', r.body.id, SETTLED);
    expect(email).toMatchObject({ status: 'accepted', transport: { mode: 'platform' }, replyTo: 'hola@fresh.example' });
    const eml = await readEml(r.body.id);
    expect(eml.from!.value).toEqual([{ address: 'documents@platform.example', name: 'Fresh Foods S.L.' }]);
    expect(eml.replyTo!.value[0].address).toBe('hola@fresh.example');
  });

  it('sends the test email to the contact email at once; without one, a 409 says what to set', async () => {
    const r = await m.call('POST', '/v1/tenants/fresh/email-settings/test', {});
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ ok: true, to: 'hola@fresh.example' });
    await waitFor(async () => fs.existsSync(path.join(outbox, `${r.body.emailId}.eml`)), 'the test email in the outbox');
    expect((await readEml(r.body.emailId)).to).toMatchObject({ value: [{ address: 'hola@fresh.example' }] });

    const none = await m.call('POST', '/v1/tenants/gone-mail/email-settings/test', {});
    expect(none.status).toBe(409);
    expect(none.body.error).toMatchObject({ code: 'test_recipient_missing' });
    expect(none.body.error.message).toMatch(/set the tenant's email/);
  });

  it('once settings are saved, the answer is configured and the saved reply-to wins', async () => {
    const saved = await m.call('PUT', '/v1/tenants/fresh/email-settings', {
      mode: 'platform',
      senderName: 'Fresh Billing',
      replyTo: 'billing@fresh.example',
    });
    expect(saved.body).toMatchObject({ configured: true, version: 1, replyTo: 'billing@fresh.example' });
    expect((await m.call('GET', '/v1/tenants/fresh/email-settings')).body.configured).toBe(true);
  });
});
