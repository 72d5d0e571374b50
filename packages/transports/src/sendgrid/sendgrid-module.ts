import type { ProviderSettings } from '@mailroom/domain';
import { z } from 'zod';
import type { TransportModule } from '../provider-module';
import { apiKeySchema, presentedProviderSchema, providerInputSchema, PRIVATE_KEY_FIELD, storedPrivateKey } from '../provider-input';
import { registerSendgridWebhook } from './sendgrid-registration';
import { SendgridTransport } from './sendgrid-transport';
import { parseSendgridEvents, SENDGRID_RETRIES_FOR_SECONDS, verifySendgridWebhook } from './sendgrid-webhook';

const input = providerInputSchema('sendgrid', { privateApiKey: apiKeySchema('privateApiKey').optional() });
type SendgridInput = z.infer<typeof input>;
const presented = presentedProviderSchema('sendgrid', { hasPrivateApiKey: z.boolean(), privateApiKeyLast4: z.string().nullable() });

export interface SendgridSettings extends ProviderSettings {
  name: 'sendgrid';
  /** Sealed (`provider.privateApiKey`). */
  privateApiKey: string;
  /** Last four characters of the key. */
  privateKeyHint?: string;
}

interface SendgridSpec {
  apiKey: string;
}

const KEY = PRIVATE_KEY_FIELD;

/** A tenant's own SendGrid account: the Mail Send API with its key, its signed Event Webhook. */
export const sendgridModule: TransportModule<SendgridInput, SendgridSettings, SendgridSpec> = {
  name: 'sendgrid',
  label: 'SendGrid',
  mode: 'provider',
  settings: {
    input,
    store(i, previous, secrets) {
      return { name: 'sendgrid', fromAddress: i.fromAddress, ...storedPrivateKey('sendgrid', i.privateApiKey, previous, secrets) };
    },
    sealedFields: [{ field: KEY, get: (s) => s.privateApiKey, set: (s, v) => ({ ...s, privateApiKey: v }) }],
    presented,
    present: (s): z.input<typeof presented> => ({
      name: s.name,
      fromAddress: s.fromAddress,
      hasPrivateApiKey: Boolean(s.privateApiKey),
      privateApiKeyLast4: s.privateKeyHint ?? null,
    }),
    warnings: () => [],
  },
  spec: (s, secrets) => ({ apiKey: secrets.open(KEY, s.privateApiKey) }),
  createTransport: (spec, { config, logger }) =>
    new SendgridTransport({ apiKey: spec.apiKey, baseUrl: config.providers.sendgridUrl, timeoutMs: config.timeouts.providerMs, logger }),
  webhooks: {
    verify: (incoming, hook, now, maxAgeSeconds) => verifySendgridWebhook(incoming, hook.key, now, maxAgeSeconds),
    parse: parseSendgridEvents,
    giveUpStatus: 400,
    retriesForSeconds: SENDGRID_RETRIES_FOR_SECONDS,
    notConfiguredStatus: 404,
    refusedSettings: { 'sendgrid.keyRejected': 'the API key (in SendGrid, Settings > API Keys)' },
    async register(spec, _stored, { url, previous, config }) {
      // Our own webhook among the account's others, found again by the id kept from last time.
      const reg = await registerSendgridWebhook({
        apiKey: spec.apiKey,
        baseUrl: config.providers.sendgridUrl,
        timeoutMs: config.timeouts.providerMs,
        url,
        webhookId: previous?.providerWebhookId,
      });
      if (!reg.verificationKey) throw new Error('SendGrid did not return the webhook verification key');
      return { verificationKey: reg.verificationKey, ...(reg.webhookId ? { providerWebhookId: reg.webhookId } : {}) };
    },
  },
};
