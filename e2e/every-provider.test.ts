import { PROVIDERS } from '@mailroom/transports';
import { providerEmulator, RunningProviderEmulator } from '@mailroom/transports/test/provider-emulator';
import { Mailroom, SETTLED, startMailroom, waitForEmail } from './support/mailroom-harness';

/**
 * Every provider of the registry, through the same front door, against its own emulator (found by
 * its folder's test-support/emulator.ts): settings saved and the webhook registered, an invoice sent
 * through the tenant's account, the provider's signed "delivered" event in the history. A provider
 * added to the registry is tested here without a line of this file changing.
 */
describe.each(PROVIDERS.providerNames.filter((n) => PROVIDERS.webhookModule(n)))('provider %s, generically', (name) => {
  let emulator: RunningProviderEmulator;
  let m: Mailroom;
  const tenant = `every-${name}`;
  beforeAll(async () => {
    emulator = await providerEmulator(name).start();
    m = await startMailroom(emulator.env);
    await m.call('PUT', `/v1/tenants/${tenant}`, { name: `Tenant ${name}`, plan: 'free' });
  });
  afterAll(async () => {
    await m.stop();
    await emulator.close();
  });

  it('saves, registers its webhook, sends an invoice and records the delivery', async () => {
    const saved = await m.call('PUT', `/v1/tenants/${tenant}/email-settings`, {
      mode: 'provider',
      senderName: `Tenant ${name}`,
      replyTo: 'billing@generic.example',
      provider: emulator.settingsPart('billing@mg.generic.example'),
    });
    expect(saved.status).toBe(200);
    expect(saved.body.provider).toMatchObject({ name, hasPrivateApiKey: true });
    const webhookUrl = `${m.webhooks.url}/webhooks/${name}/${tenant}`;
    expect(saved.body.webhook).toMatchObject({ url: webhookUrl, registered: true, hasVerificationKey: true });

    const id = (
      await m.call('POST', `/v1/tenants/${tenant}/emails`, {
        to: ['client@customer.example'],
        subject: `Invoice via ${name}`,
        text: 'attached',
        html: '<p>attached</p>',
      })
    ).body.id;
    const sent = await waitForEmail(m, tenant, id, SETTLED);
    expect(sent).toMatchObject({ status: 'accepted', transport: { mode: 'provider', provider: name } });
    expect(emulator.recipientsOf(id)).toEqual(['client@customer.example']);

    expect(await emulator.deliver(webhookUrl, id, 'client@customer.example')).toBe(200);
    const delivered = await waitForEmail(m, tenant, id, (e) => e.status === 'delivered');
    expect(delivered.events.filter((e: { source: string }) => e.source === name).map((e: { type: string }) => e.type)).toContain(
      'delivered',
    );
  });
});
