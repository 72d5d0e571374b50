import type { ProviderName, ProviderSettings } from '@mailroom/domain';
import { secretContext, WEBHOOK_KEY_FIELD } from '@mailroom/delivery';
import type { SecretBox } from '@mailroom/security';
import {
  IncomingWebhook,
  NormalizedEvent,
  parseMailgunEvent,
  parseMailjetEvents,
  parseSendgridEvents,
  verifyMailgunWebhook,
  verifyMailjetWebhook,
  verifySendgridWebhook,
  VerifyOutcome,
} from '@mailroom/transports';

/** The sealed-secret context for a tenant's webhook verification key (must match what the API seals with). */
export const webhookKeyContext = (tenantId: string) => secretContext(tenantId, WEBHOOK_KEY_FIELD);

/**
 * Each provider's receiving rules (contracts.md, section 5): how to verify, how to parse, and which
 * status makes the provider stop retrying. SendGrid retries any non-2xx for 24 h; Mailgun retries
 * anything but 200 and 406 for ~8 h; Mailjet retries anything but 200 for 24 h.
 */
export interface ProviderReceiver {
  verify(
    incoming: IncomingWebhook,
    provider: ProviderSettings,
    tenantId: string,
    box: SecretBox,
    now: Date,
    maxAgeSeconds: number,
  ): VerifyOutcome;
  parse(rawBody: Buffer): NormalizedEvent[];
  /** Status for a request that will never succeed, where the provider lets us say "stop". */
  giveUpStatus: number;
}

function openKey(provider: ProviderSettings, tenantId: string, box: SecretBox): string | undefined {
  const sealed = provider.webhook?.verificationKey;
  return sealed ? box.open(sealed, webhookKeyContext(tenantId)) : undefined;
}

export const RECEIVERS: Record<ProviderName, ProviderReceiver> = {
  sendgrid: {
    verify: (incoming, p, tenantId, box, now, maxAge) => verifySendgridWebhook(incoming, openKey(p, tenantId, box), now, maxAge),
    parse: parseSendgridEvents,
    giveUpStatus: 400,
  },
  mailgun: {
    verify: (incoming, p, tenantId, box, now, maxAge) => verifyMailgunWebhook(incoming, openKey(p, tenantId, box), now, maxAge),
    parse: parseMailgunEvent,
    giveUpStatus: 406,
  },
  mailjet: {
    verify: (incoming, p, tenantId, box) => {
      const password = openKey(p, tenantId, box);
      return verifyMailjetWebhook(incoming, p.webhook?.basicUser && password ? { user: p.webhook.basicUser, password } : undefined);
    },
    parse: parseMailjetEvents,
    giveUpStatus: 400,
  },
};
