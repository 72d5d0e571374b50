import {
  MailgunEmulator,
  MailjetEmulator,
  SendgridEmulator,
  startMailgunEmulator,
  startMailjetEmulator,
  startSendgridEmulator,
} from '@mailroom/testkit';
import { Mailroom, startMailroom } from './support/mailroom-harness';

const SG_KEY = 'SG.saved-right.0000000000000001';
const EU_KEY = 'key-eu-refused-on-save-000000001';
const US_KEY = 'key-us-refused-on-save-000000002';
const MJ = { public: 'mj-public-refused-0001', private: 'mj-private-refused-0001' };

/**
 * Settings are not verified before they are stored (design: a save stores what the admin typed): a
 * provider that refuses the key, the region or the domain at the webhook registration run by the save
 * is told in that save's answer, as a warning naming what was refused and what to fix, by key too.
 */
describe('a provider refusing the saved key, region or domain is told at save time', () => {
  let m: Mailroom;
  let sg: SendgridEmulator;
  let eu: MailgunEmulator;
  let us: MailgunEmulator;
  let mj: MailjetEmulator;
  beforeAll(async () => {
    sg = await startSendgridEmulator({ apiKeys: [SG_KEY] });
    eu = await startMailgunEmulator({ region: 'eu', keys: [EU_KEY], domains: ['mg.acme.example'] });
    us = await startMailgunEmulator({ region: 'us', keys: [US_KEY], domains: ['mg.globex.example'] });
    mj = await startMailjetEmulator({ keys: [MJ], validatedSenders: ['billing@mj.example'] });
    m = await startMailroom({ SENDGRID_API_URL: sg.url, MAILGUN_API_URL_EU: eu.url, MAILGUN_API_URL_US: us.url, MAILJET_API_URL: mj.url });
  });
  afterAll(async () => {
    await m.stop();
    await Promise.all([sg.close(), eu.close(), us.close(), mj.close()]);
  });

  const save = async (tenant: string, provider: Record<string, unknown>) => {
    await m.call('PUT', `/v1/tenants/${tenant}`, { name: tenant, plan: 'free' });
    const r = await m.call('PUT', `/v1/tenants/${tenant}/email-settings`, {
      mode: 'provider',
      senderName: 'ACME',
      replyTo: 'billing@acme.example',
      provider,
    });
    expect(r.status).toBe(200);
    return r.body;
  };
  // Sending fails too: the warning names what to check, and does not suggest pasting a verification key.
  const refused = (body: any, hintKey: string, words: RegExp, check: RegExp) => {
    expect(body.webhook).toMatchObject({ registered: false, hintKey, error: expect.stringMatching(words) });
    expect(body.warnings).toContainEqual({ code: 'provider_credentials_refused', message: expect.stringMatching(words) });
    const warning = body.warnings.find((w: { code: string }) => w.code === 'provider_credentials_refused');
    expect(warning.message).toMatch(check);
    expect(warning.message).not.toMatch(/paste/i);
    expect(body.warnings.map((w: { code: string }) => w.code)).not.toContain('webhook_not_registered');
  };

  it('SendGrid, a wrong API key: the key was refused (401), not "lacks a permission"', async () => {
    const body = await save('sg-key', { name: 'sendgrid', fromAddress: 'billing@acme.example', privateApiKey: 'SG.wrong.0000000009' });
    refused(body, 'sendgrid.keyRejected', /SendGrid rejected the API key/, /Check the API key/);
    expect(JSON.stringify(body)).not.toMatch(/lacks the Mail Settings/);
  });

  it.each([
    ['EU', 'mg-eu-key', 'eu', 'billing@mg.acme.example'],
    ['US', 'mg-us-key', 'us', 'billing@mg.globex.example'],
  ])('Mailgun %s, a wrong API key: 401, check the key and the region', async (_, tenant, region, fromAddress) => {
    const body = await save(tenant, { name: 'mailgun', fromAddress, privateApiKey: 'key-wrong-000000000000000000', region });
    refused(
      body,
      'mailgun.keyRejected',
      /401: check the private key, and whether the domain is in the EU or US region/,
      /Check the private API key, and whether the domain is in the EU or US region/,
    );
  });

  it.each([
    ['an EU domain saved as US', 'mg-eu-as-us', 'us', 'billing@mg.acme.example', EU_KEY],
    ['a US domain saved as EU', 'mg-us-as-eu', 'eu', 'billing@mg.globex.example', US_KEY],
  ])('Mailgun, the wrong region (%s): 401 like a bad key, and the region is named', async (_, tenant, region, fromAddress, key) => {
    const body = await save(tenant, { name: 'mailgun', fromAddress, privateApiKey: key, region });
    refused(
      body,
      'mailgun.keyRejected',
      /whether the domain is in the EU or US region/,
      /Check the private API key, and whether the domain/,
    );
  });

  it('Mailgun, a wrong domain: 404, the domain is named', async () => {
    const body = await save('mg-domain', {
      name: 'mailgun',
      fromAddress: 'billing@mg.acme.example',
      privateApiKey: EU_KEY,
      region: 'eu',
      domain: 'mg.typo.example',
    });
    refused(
      body,
      'mailgun.domainNotFound',
      /the domain mg\.typo\.example is not in this Mailgun account\/region/,
      /Check the sending domain/,
    );
    expect(body.webhook.hintParams).toEqual({ domain: 'mg.typo.example' });
  });

  it.each([
    ['public', { publicApiKey: 'mj-public-wrong-0009', privateApiKey: MJ.private }],
    ['private', { publicApiKey: MJ.public, privateApiKey: 'mj-private-wrong-0009' }],
  ])('Mailjet, a wrong %s key: the key pair was refused', async (which, keys) => {
    const body = await save(`mj-${which}`, { name: 'mailjet', fromAddress: 'billing@mj.example', ...keys });
    refused(
      body,
      'mailjet.auth',
      /Mailjet rejected the API keys: check the public and private key pair/,
      /Check the public and private API key pair/,
    );
    // The step that failed is told for people, not by its internal name.
    expect(body.webhook.error).toMatch(/^Mailjet did not let Mailroom read the account's event callbacks/);
    expect(body.webhook.error).not.toContain('"list"');
  });
});
