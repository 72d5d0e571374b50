import { EmailSettings, ProviderSettings, WebhookState } from '@mailroom/domain';
import { PROVIDERS } from './providers';
import { settingsPartWarnings } from './settings-parts';

const URL = 'https://hooks.example/webhooks/tn_acme';

const withWebhook = (provider: Omit<ProviderSettings, 'webhook'>, webhook: WebhookState): EmailSettings => ({
  tenantId: 'tn_acme',
  version: 1,
  updatedAt: '2026-01-01T00:00:00Z',
  mode: 'provider',
  senderName: 'ACME',
  cc: [],
  bcc: [],
  provider: { ...provider, webhook } as ProviderSettings,
});
const mailgun = { name: 'mailgun', fromAddress: 'billing@mg.acme.test', domain: 'mg.acme.test', region: 'us' };
const failed = (hintKey: string, error: string): WebhookState => ({ url: URL, registered: false, error, hintKey }) as WebhookState;

describe('a webhook not registered, in the settings warnings', () => {
  it.each([
    [
      'SendGrid, a refused key',
      { name: 'sendgrid', fromAddress: 'billing@acme.test' },
      'sendgrid.keyRejected',
      /^SendGrid refused .*Check the API key/,
    ],
    [
      'Mailgun, a refused key or region',
      mailgun,
      'mailgun.keyRejected',
      /Check the private API key, and whether the domain is in the EU or US region/,
    ],
    ['Mailgun, an unknown domain', mailgun, 'mailgun.domainNotFound', /Check the sending domain, and whether it is in the EU or US region/],
    [
      'Mailjet, a refused key pair',
      { name: 'mailjet', fromAddress: 'billing@acme.test' },
      'mailjet.auth',
      /Check the public and private API key pair/,
    ],
  ])('%s: the provider refused the settings, so sending fails too; what to check, no key to paste', (_, provider, hintKey, check) => {
    const s = withWebhook(provider, failed(hintKey, 'the provider said no: its advice'));
    expect(settingsPartWarnings(PROVIDERS, s)).toContainEqual({
      code: 'provider_credentials_refused',
      message: expect.stringMatching(check),
    });
    const [refused] = settingsPartWarnings(PROVIDERS, s).filter((w) => w.code === 'provider_credentials_refused');
    expect(refused.message).toContain('(the provider said no: its advice)');
    expect(refused.message).toMatch(/emails cannot be sent through/);
    expect(refused.message).not.toMatch(/paste/i);
    expect(settingsPartWarnings(PROVIDERS, s).map((w) => w.code)).not.toContain('webhook_not_registered');
  });

  it.each([
    ['a key without the webhook permission', { name: 'sendgrid', fromAddress: 'billing@acme.test' }, 'sendgrid.webhookPermission'],
    ["the plan's webhook limit", { name: 'sendgrid', fromAddress: 'billing@acme.test' }, 'sendgrid.webhookLimit'],
    ["a Mailgun webhook's URLs all taken", mailgun, 'mailgun.webhookSlotsFull'],
  ])('%s: the webhook is not registered, and pasting its verification key is the advice', (_, provider, hintKey) => {
    const s = withWebhook(provider, failed(hintKey, 'no room'));
    expect(settingsPartWarnings(PROVIDERS, s)).toContainEqual({
      code: 'webhook_not_registered',
      message: expect.stringMatching(/webhook is not registered \(no room\).*paste the verification key/),
    });
  });

  it('a failure recorded without a key (an older record) keeps the webhook warning', () => {
    const s = withWebhook(mailgun, { url: URL, registered: false, error: 'Mailgun refused' });
    expect(settingsPartWarnings(PROVIDERS, s).map((w) => w.code)).toEqual(['webhook_not_registered']);
  });
});
