import { ProviderRegistry, PROVIDERS, TRANSPORT_MODULES } from '@mailroom/transports';
import { FakeMailApi, fakeMailModule, startFakeMailApi } from './support/fake-provider';
import { Mailroom, SETTLED, startMailroom, waitForEmail } from './support/mailroom-harness';

const TOKEN = 'fm-token-0123456789wxyz';

/**
 * Adding a provider is its module plus one registry line: here a provider that exists only in this
 * test, added to a registry of its own, is accepted by the settings (validation, secrets, presentation,
 * warnings), registers its webhook, sends through the worker and the test email, and is heard on the
 * webhook route, with no app knowing its name.
 */
describe('a provider module added to the registry', () => {
  let api: FakeMailApi;
  let m: Mailroom;
  const webhookUrl = () => `${m.webhooks.url}/webhooks/fakemail/fm-tenant`;
  beforeAll(async () => {
    api = await startFakeMailApi(TOKEN);
    const providers = new ProviderRegistry([...TRANSPORT_MODULES, fakeMailModule(api.url)]);
    m = await startMailroom({}, { providers });
    await m.call('PUT', '/v1/tenants/fm-tenant', { name: 'FM Tenant', plan: 'free' });
  });
  afterAll(async () => {
    await m.stop();
    await api.close();
  });

  const save = (provider: Record<string, unknown>) =>
    m.call('PUT', '/v1/tenants/fm-tenant/email-settings', {
      mode: 'provider',
      senderName: 'FM Tenant',
      replyTo: 'billing@fm.example',
      provider: { name: 'fakemail', fromAddress: 'billing@fm.example', ...provider },
    });

  it('is validated by its own schema, naming its fields', async () => {
    const bad = await save({ token: TOKEN, shard: 'z' });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'invalid_request', message: 'provider.shard: shard must be "a" or "b"' });
    const missing = await save({});
    expect(missing.status).toBe(400);
    expect(missing.body.error.details).toEqual([{ field: 'provider.token', message: 'the FakeMail token is required' }]);
    expect(PROVIDERS.provider('fakemail')).toBeUndefined(); // the real registry is untouched
  });

  it('is saved with its secret sealed, presented without it, warned about in its own words, and registers its webhook', async () => {
    const r = await save({ token: TOKEN, shard: 'b' });
    expect(r.status).toBe(200);
    expect(r.body.provider).toEqual({
      name: 'fakemail',
      fromAddress: 'billing@fm.example',
      shard: 'b',
      hasToken: true,
      tokenLast4: 'wxyz',
    });
    expect(r.body.warnings).toEqual([{ code: 'fakemail_shard_b', message: 'shard b is slower: use shard a' }]);
    expect(JSON.stringify(r.body)).not.toContain(TOKEN);
    expect(r.body.webhook).toMatchObject({ url: webhookUrl(), registered: true, hasVerificationKey: true });
    expect(api.webhooks.has(webhookUrl())).toBe(true);
    const stored = (await m.api.deps.store.settings.get('fm-tenant'))!;
    expect(JSON.stringify(stored)).not.toContain(TOKEN);
  });

  it('sends through the worker and the test email, and its signed events reach the history', async () => {
    const id = (
      await m.call('POST', '/v1/tenants/fm-tenant/emails', { to: ['client@customer.example'], subject: 'Invoice FM-1', text: 'x' })
    ).body.id;
    const sent = await waitForEmail(m, 'fm-tenant', id, SETTLED);
    expect(sent).toMatchObject({ status: 'accepted', transport: { mode: 'provider', provider: 'fakemail' }, providerMessageId: 'fm-1' });
    expect(api.messages[0]).toMatchObject({ token: TOKEN, emailId: id, from: 'billing@fm.example', to: ['client@customer.example'] });

    const test = await m.call('POST', '/v1/tenants/fm-tenant/email-settings/test', {});
    expect(test.body).toMatchObject({ ok: true, to: 'billing@fm.example' });
    expect(api.messages).toHaveLength(2);

    expect(
      await api.postEvent(webhookUrl(), { emailId: id, recipient: 'client@customer.example', type: 'delivered' }, { key: 'forged' }),
    ).toBe(401);
    expect(await api.postEvent(webhookUrl(), { emailId: id, recipient: 'client@customer.example', type: 'delivered' })).toBe(200);
    const delivered = await waitForEmail(m, 'fm-tenant', id, (e) => e.status === 'delivered');
    expect(delivered.events.filter((e: { source: string }) => e.source === 'fakemail').map((e: { type: string }) => e.type)).toEqual([
      'delivered',
    ]);
    // A provider the webhooks app does not know, and one this tenant does not use.
    expect((await fetch(`${m.webhooks.url}/webhooks/postmark/fm-tenant`, { method: 'POST', body: '[]' })).status).toBe(404);
    expect((await fetch(`${m.webhooks.url}/webhooks/sendgrid/fm-tenant`, { method: 'POST', body: '[]' })).status).toBe(404);
  });
});
