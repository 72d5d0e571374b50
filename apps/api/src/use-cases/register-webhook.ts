import { randomBytes } from 'node:crypto';
import { EmailSettings, ProviderSettingsInput, WebhookState } from '@mailroom/domain';
import { secretContext, specFromSettings, WEBHOOK_KEY_FIELD } from '@mailroom/delivery';
import { isDeliveryError } from '@mailroom/domain';
import { registerMailgunWebhook, registerMailjetWebhook, registerSendgridWebhook, WebhookRegistration } from '@mailroom/transports';
import type { ApiDeps } from '../api-deps';
import type { SettingsWarning } from './settings-warnings';

export function webhookUrl(deps: ApiDeps, s: EmailSettings): string {
  return `${deps.config.publicBaseUrl}/webhooks/${s.provider!.name}/${encodeURIComponent(s.tenantId)}`;
}

/**
 * After a provider-mode save: register the tenant's webhook with its own provider account, through
 * its own API key, and keep the verification key (sealed). A failure never undoes the save: the
 * answer says what failed, and the admin can paste the key by hand (`webhookVerificationKey`).
 */
export async function registerProviderWebhook(deps: ApiDeps, tenantId: string, input?: ProviderSettingsInput): Promise<SettingsWarning[]> {
  const s = await deps.store.settings.get(tenantId);
  if (s?.mode !== 'provider' || !s.provider) return [];
  const url = webhookUrl(deps, s);
  const seal = (v: string) => deps.box.seal(v, secretContext(tenantId, WEBHOOK_KEY_FIELD));
  const previous = s.provider.webhook;
  let state: WebhookState;

  if (input?.webhookVerificationKey) {
    state = { ...previous, url, registered: true, error: undefined, verificationKey: seal(input.webhookVerificationKey) };
  } else {
    try {
      const reg = await register(deps, s, url, previous);
      state = {
        ...previous,
        url,
        registered: true,
        error: undefined,
        verificationKey: seal(reg.key),
        ...(reg.basicUser ? { basicUser: reg.basicUser } : {}),
        ...(reg.providerWebhookId ? { providerWebhookId: reg.providerWebhookId } : {}),
      };
    } catch (e) {
      const message = isDeliveryError(e) ? [e.message, e.hint].filter(Boolean).join(': ') : (e as Error).message;
      deps.logger.warn({ tenantId, provider: s.provider.name, err: message }, 'webhook registration failed');
      state = { ...previous, url, registered: false, error: message };
    }
  }
  await deps.store.settings.update(tenantId, (cur) =>
    cur.mode === 'provider' && cur.provider ? { ...cur, provider: { ...cur.provider, webhook: state } } : null,
  );
  return [];
}

async function register(
  deps: ApiDeps,
  s: EmailSettings,
  url: string,
  previous: WebhookState | undefined,
): Promise<{ key: string; basicUser?: string; providerWebhookId?: string }> {
  const spec = specFromSettings(s, deps.box);
  const timeoutMs = deps.config.timeouts.providerMs;
  const p = deps.config.providers;
  const needKey = (r: WebhookRegistration) => {
    if (!r.verificationKey) throw new Error('the provider did not return a verification key');
    return r.verificationKey;
  };
  switch (spec.kind) {
    case 'sendgrid': {
      // Our own webhook among the account's others, found again by the id kept from last time.
      const reg = await registerSendgridWebhook({
        apiKey: spec.apiKey,
        baseUrl: p.sendgridUrl,
        timeoutMs,
        url,
        webhookId: previous?.providerWebhookId,
      });
      return { key: needKey(reg), providerWebhookId: reg.webhookId };
    }
    case 'mailgun':
      return {
        key: needKey(
          await registerMailgunWebhook({
            apiKey: spec.apiKey,
            baseUrl: spec.region === 'eu' ? p.mailgunUrlEu : p.mailgunUrlUs,
            domain: spec.domain,
            timeoutMs,
            url,
          }),
        ),
      };
    case 'mailjet': {
      // Mailjet signs nothing: we generate Basic credentials, embed them in the callback URL, and check them on arrival.
      const basicUser = previous?.basicUser ?? `mailroom-${s.tenantId}`.slice(0, 60);
      const kept =
        previous?.verificationKey && previous.basicUser
          ? deps.box.open(previous.verificationKey, secretContext(s.tenantId, WEBHOOK_KEY_FIELD))
          : undefined;
      const basicPassword = kept ?? randomBytes(24).toString('base64url');
      await registerMailjetWebhook({
        publicKey: spec.publicKey,
        privateKey: spec.privateKey,
        baseUrl: p.mailjetUrl,
        timeoutMs,
        url,
        basicUser,
        basicPassword,
      });
      return { key: basicPassword, basicUser };
    }
    default:
      throw new Error(`no webhook to register for ${spec.kind}`);
  }
}
