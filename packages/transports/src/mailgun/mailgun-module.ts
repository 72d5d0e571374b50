import { domainOf, settingsWarning, type ProviderSettings } from '@mailroom/domain';
import { z } from 'zod';
import type { TransportModule } from '../provider-module';
import { apiKeySchema, presentedProviderSchema, providerInputSchema, PRIVATE_KEY_FIELD, storedPrivateKey } from '../provider-input';
import { registerMailgunWebhook } from './mailgun-registration';
import { MailgunTransport } from './mailgun-transport';
import { MAILGUN_RETRIES_FOR_SECONDS, parseMailgunEvent, verifyMailgunWebhook } from './mailgun-webhook';

const input = providerInputSchema('mailgun', {
  privateApiKey: apiKeySchema('privateApiKey').optional(),
  region: z.enum(['eu', 'us'], { error: 'region must be "eu" or "us"' }).optional(),
  domain: z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^[a-z0-9.-]+\.[a-z]{2,}$/, 'domain must be a domain name such as mg.example.com')
    .optional(),
});
type MailgunInput = z.infer<typeof input>;
const presented = presentedProviderSchema('mailgun', {
  region: z.enum(['eu', 'us']),
  domain: z.string().optional(),
  hasPrivateApiKey: z.boolean(),
  privateApiKeyLast4: z.string().nullable(),
});

export interface MailgunSettings extends ProviderSettings {
  name: 'mailgun';
  /** Which of Mailgun's two API hosts the account lives on. */
  region: 'eu' | 'us';
  /** The sending domain; the From address's domain by default. */
  domain?: string;
  /** Sealed (`provider.privateApiKey`). */
  privateApiKey: string;
  privateKeyHint?: string;
}

interface MailgunSpec {
  apiKey: string;
  domain: string;
  region: 'eu' | 'us';
}

const KEY = PRIVATE_KEY_FIELD;

/** A tenant's own Mailgun account (EU or US): messages on its sending domain, its signed webhooks. */
export const mailgunModule: TransportModule<MailgunInput, MailgunSettings, MailgunSpec> = {
  name: 'mailgun',
  label: 'Mailgun',
  mode: 'provider',
  settings: {
    input,
    store(i, previous, secrets) {
      return {
        name: 'mailgun',
        fromAddress: i.fromAddress,
        region: i.region ?? 'us',
        domain: i.domain ?? domainOf(i.fromAddress),
        ...storedPrivateKey('mailgun', i.privateApiKey, previous, secrets),
      };
    },
    sealedFields: [{ field: KEY, get: (s) => s.privateApiKey, set: (s, v) => ({ ...s, privateApiKey: v }) }],
    presented,
    present: (s): z.input<typeof presented> => ({
      name: s.name,
      fromAddress: s.fromAddress,
      region: s.region,
      domain: s.domain,
      hasPrivateApiKey: Boolean(s.privateApiKey),
      privateApiKeyLast4: s.privateKeyHint ?? null,
    }),
    warnings(s) {
      const from = domainOf(s.fromAddress);
      if (!s.domain || from === s.domain || from.endsWith(`.${s.domain}`) || s.domain.endsWith(`.${from}`)) return [];
      return [
        settingsWarning(
          'mailgun_domain_mismatch',
          `the From address's domain (${from}) does not match the Mailgun sending domain (${s.domain}): recipients' servers may fail DMARC and junk the invoices.`,
        ),
      ];
    },
  },
  spec: (s, secrets) => ({ apiKey: secrets.open(KEY, s.privateApiKey), domain: s.domain ?? domainOf(s.fromAddress), region: s.region }),
  createTransport: (spec, { config, logger }) =>
    new MailgunTransport({
      apiKey: spec.apiKey,
      domain: spec.domain,
      baseUrl: baseUrlOf(spec.region, config.providers),
      timeoutMs: config.timeouts.providerMs,
      logger,
    }),
  webhooks: {
    verify: (incoming, hook, now, maxAgeSeconds) => verifyMailgunWebhook(incoming, hook.key, now, maxAgeSeconds),
    parse: parseMailgunEvent,
    // Mailgun retries anything but 200 and 406 for about 8 hours, with the first attempt's signature.
    giveUpStatus: 406,
    retriesForSeconds: MAILGUN_RETRIES_FOR_SECONDS,
    notConfiguredStatus: 406,
    // Mailgun answers a key of the other region as it answers a wrong key (401).
    refusedSettings: {
      'mailgun.keyRejected': 'the private API key, and whether the domain is in the EU or US region',
      'mailgun.domainNotFound': 'the sending domain, and whether it is in the EU or US region',
    },
    async register(spec, _stored, { url, config }) {
      const reg = await registerMailgunWebhook({
        apiKey: spec.apiKey,
        baseUrl: baseUrlOf(spec.region, config.providers),
        domain: spec.domain,
        timeoutMs: config.timeouts.providerMs,
        url,
      });
      if (!reg.verificationKey) throw new Error('Mailgun did not return the webhook signing key');
      return { verificationKey: reg.verificationKey };
    },
  },
};

function baseUrlOf(region: 'eu' | 'us', providers: { mailgunUrlEu: string; mailgunUrlUs: string }): string {
  return region === 'eu' ? providers.mailgunUrlEu : providers.mailgunUrlUs;
}
