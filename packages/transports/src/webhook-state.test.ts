import { randomBytes } from 'node:crypto';
import { DeliveryError, EmailSettings, hintOf, WebhookState } from '@mailroom/domain';
import { SecretBox, SecretUnavailableError } from '@mailroom/security';
import { PROVIDERS } from './providers';
import { presentSettingsPart, settingsPartWarnings } from './settings-parts';
import { TenantSecrets } from './tenant-secrets';
import { failedWebhookState, registeredWebhookState } from './webhook-state';

const secrets = new TenantSecrets(new SecretBox([{ id: 'k1', key: randomBytes(32) }]), 'tn_acme');
const URL = 'https://hooks.example/webhooks/mailgun/tn_acme';

const slotsFull = new DeliveryError('Mailgun\'s "delivered" webhook of mg.acme.test already has 3 URLs', {
  code: 'webhook_slots_full',
  retryable: false,
  ...hintOf('mailgun.webhookSlotsFull', 'Mailgun allows 3 URLs per webhook: remove one', {
    max: 3,
    webhook: 'delivered',
    domain: 'mg.acme.test',
  }),
});

const mailgunSettings = (webhook: WebhookState): EmailSettings => ({
  tenantId: 'tn_acme',
  version: 1,
  updatedAt: '2026-01-01T00:00:00Z',
  mode: 'provider',
  senderName: 'ACME',
  cc: [],
  bcc: [],
  provider: { name: 'mailgun', fromAddress: 'billing@mg.acme.test', domain: 'mg.acme.test', region: 'us', webhook },
});

describe("a webhook registration's failure, in English and by key", () => {
  it("keeps the error's words and advice in English, and the advice's key and values beside them", () => {
    expect(failedWebhookState(undefined, URL, slotsFull)).toEqual({
      url: URL,
      registered: false,
      error: 'Mailgun\'s "delivered" webhook of mg.acme.test already has 3 URLs: Mailgun allows 3 URLs per webhook: remove one',
      hintKey: 'mailgun.webhookSlotsFull',
      hintParams: { max: 3, webhook: 'delivered', domain: 'mg.acme.test' },
      hintThen: undefined,
    });
  });

  it('gives our own failures a key too: a secret no key opens, anything unexpected', () => {
    expect(failedWebhookState(undefined, URL, new SecretUnavailableError('no key opens it'))).toMatchObject({
      error: expect.stringMatching(/^no key opens it: a stored secret cannot be decrypted/),
      hintKey: 'send.secretUnavailable',
    });
    expect(failedWebhookState(undefined, URL, new Error('boom'))).toMatchObject({
      error: expect.stringMatching(/^boom: the registration failed unexpectedly/),
      hintKey: 'webhook.unexpected',
    });
  });

  it('a failure without a key (an older module) forgets the key of the failure before it', () => {
    const before = failedWebhookState(undefined, URL, slotsFull);
    const plain = new DeliveryError('refused', { code: 'x', retryable: false, hint: 'do this' });
    expect(failedWebhookState(before, URL, plain)).toMatchObject({ error: 'refused: do this', hintKey: undefined, hintParams: undefined });
  });

  it('a registration that succeeds forgets why the one before failed', () => {
    const registered = registeredWebhookState(failedWebhookState(undefined, URL, slotsFull), URL, { verificationKey: 'k' }, secrets);
    expect(registered).toMatchObject({
      registered: true,
      error: undefined,
      hintKey: undefined,
      hintParams: undefined,
      hintThen: undefined,
    });
  });

  it('the settings answer shows the reason by key beside the English, and the warning keeps the English', () => {
    const s = mailgunSettings(failedWebhookState(undefined, URL, slotsFull));
    expect(presentSettingsPart(PROVIDERS, s).webhook).toEqual({
      url: URL,
      registered: false,
      error: expect.stringContaining('already has 3 URLs'),
      hintKey: 'mailgun.webhookSlotsFull',
      hintParams: { max: 3, webhook: 'delivered', domain: 'mg.acme.test' },
      lastEventAt: null,
      hasVerificationKey: false,
    });
    const [warning] = settingsPartWarnings(PROVIDERS, s);
    expect(warning).toEqual({ code: 'webhook_not_registered', message: expect.stringContaining('(Mailgun\'s "delivered" webhook') });
  });

  it('an older record (the English alone) is shown as it was', () => {
    const s = mailgunSettings({ url: URL, registered: false, error: 'Mailgun refused: check the key' });
    expect(presentSettingsPart(PROVIDERS, s).webhook).toEqual({
      url: URL,
      registered: false,
      error: 'Mailgun refused: check the key',
      lastEventAt: null,
      hasVerificationKey: false,
    });
  });
});
