import { randomBytes } from 'node:crypto';
import type { ProviderSettings } from '@mailroom/domain';
import { z } from 'zod';
import type { TransportModule } from '../provider-module';
import { apiKeySchema, presentedProviderSchema, providerInputSchema, PRIVATE_KEY_FIELD, storedPrivateKey } from '../provider-input';
import { SettingsFieldError } from '../tenant-secrets';
import { registerMailjetWebhook } from './mailjet-registration';
import { MailjetTransport } from './mailjet-transport';
import { parseMailjetEvents, verifyMailjetWebhook } from './mailjet-webhook';

const input = providerInputSchema('mailjet', {
  privateApiKey: apiKeySchema('privateApiKey').optional(),
  publicApiKey: apiKeySchema('publicApiKey').optional(),
});
type MailjetInput = z.infer<typeof input>;
const presented = presentedProviderSchema('mailjet', {
  hasPrivateApiKey: z.boolean(),
  privateApiKeyLast4: z.string().nullable(),
  hasPublicApiKey: z.boolean(),
});

export interface MailjetSettings extends ProviderSettings {
  name: 'mailjet';
  /** Both sealed (`provider.privateApiKey`, `provider.publicApiKey`): Mailjet authenticates with the pair. */
  privateApiKey: string;
  publicApiKey: string;
  privateKeyHint?: string;
}

interface MailjetSpec {
  publicKey: string;
  privateKey: string;
}

const PRIVATE = PRIVATE_KEY_FIELD;
const PUBLIC = 'provider.publicApiKey';

/** A tenant's own Mailjet account: Send API v3.1 with its key pair; event callbacks behind Basic credentials we generate. */
export const mailjetModule: TransportModule<MailjetInput, MailjetSettings, MailjetSpec> = {
  name: 'mailjet',
  label: 'Mailjet',
  mode: 'provider',
  settings: {
    input,
    store(i, previous, secrets) {
      const privateKey = storedPrivateKey('mailjet', i.privateApiKey, previous, secrets);
      const publicApiKey = i.publicApiKey !== undefined ? secrets.seal(PUBLIC, i.publicApiKey) : previous?.publicApiKey;
      if (!publicApiKey) throw new SettingsFieldError('publicApiKey', 'Mailjet needs the public API key as well as the private one');
      return { name: 'mailjet', fromAddress: i.fromAddress, ...privateKey, publicApiKey };
    },
    sealedFields: [
      { field: PRIVATE, get: (s) => s.privateApiKey, set: (s, v) => ({ ...s, privateApiKey: v }) },
      { field: PUBLIC, get: (s) => s.publicApiKey, set: (s, v) => ({ ...s, publicApiKey: v }) },
    ],
    presented,
    present: (s): z.input<typeof presented> => ({
      name: s.name,
      fromAddress: s.fromAddress,
      hasPrivateApiKey: Boolean(s.privateApiKey),
      privateApiKeyLast4: s.privateKeyHint ?? null,
      hasPublicApiKey: Boolean(s.publicApiKey),
    }),
    warnings: () => [],
  },
  spec: (s, secrets) => ({ privateKey: secrets.open(PRIVATE, s.privateApiKey), publicKey: secrets.open(PUBLIC, s.publicApiKey) }),
  createTransport: (spec, { config, logger }) =>
    new MailjetTransport({
      publicKey: spec.publicKey,
      privateKey: spec.privateKey,
      baseUrl: config.providers.mailjetUrl,
      timeoutMs: config.timeouts.providerMs,
      logger,
    }),
  webhooks: {
    verify: (incoming, hook) =>
      verifyMailjetWebhook(incoming, hook.basicUser && hook.key ? { user: hook.basicUser, password: hook.key } : undefined),
    parse: parseMailjetEvents,
    // Mailjet retries anything but 200 for 24 hours.
    giveUpStatus: 400,
    notConfiguredStatus: 404,
    refusedSettings: { 'mailjet.auth': 'the public and private API key pair (both from the same Mailjet account)' },
    async register(spec, _stored, { tenantId, url, previous, config }) {
      // Mailjet signs nothing: we generate Basic credentials, embed them in the callback URL, and check them on arrival.
      const basicUser = previous?.basicUser ?? `mailroom-${tenantId}`.slice(0, 60);
      const basicPassword = previous?.basicUser && previous.key ? previous.key : randomBytes(24).toString('base64url');
      await registerMailjetWebhook({
        publicKey: spec.publicKey,
        privateKey: spec.privateKey,
        baseUrl: config.providers.mailjetUrl,
        timeoutMs: config.timeouts.providerMs,
        url,
        basicUser,
        basicPassword,
      });
      return { verificationKey: basicPassword, basicUser };
    },
  },
};
