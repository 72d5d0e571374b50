import { SelectField, TextField } from '../components/fields';
import { Notice } from '../components/notices';
import type { SettingsAnswer, WebhookAnswer } from '../api/types';
import { webhookFailure } from '../i18n/api-words';
import type { I18n } from '../i18n/i18n';
import { PROVIDERS, ProviderForm } from './settings-form';

const PROVIDER_LABEL = { sendgrid: 'SendGrid', mailgun: 'Mailgun', mailjet: 'Mailjet' } as const;

/**
 * "Enviar desde tu proveedor": the fields each provider needs (Mailjet: public and private key;
 * Mailgun: key, region, domain; SendGrid: one key). Keys are never shown again: "saved, ends in 1a2b".
 */
export function ProviderFields(props: {
  i18n: I18n;
  provider: ProviderForm;
  answer: SettingsAnswer | null;
  errors: Record<string, string>;
  onChange: (p: ProviderForm) => void;
}) {
  const { i18n, provider: p, answer, errors, onChange } = props;
  const set = (patch: Partial<ProviderForm>) => onChange({ ...p, ...patch });
  // What is stored applies only to the same provider: another one starts with no keys.
  const saved = answer?.mode === 'provider' && answer.provider?.name === p.name ? answer.provider : undefined;
  const privateHelp = saved?.hasPrivateApiKey
    ? saved.privateApiKeyLast4
      ? i18n.t('settings.secret.savedEndsIn', { last4: saved.privateApiKeyLast4 })
      : i18n.t('settings.secret.saved')
    : undefined;
  return (
    <fieldset>
      <legend>{i18n.t('settings.provider.legend')}</legend>
      <SelectField
        id="provider.name"
        label={i18n.t('settings.provider.name')}
        value={p.name}
        options={PROVIDERS.map((n) => ({ value: n, label: PROVIDER_LABEL[n] }))}
        onValue={(name) => set({ name, privateApiKey: '', publicApiKey: '', webhookVerificationKey: '' })}
        error={errors['provider.name']}
      />
      <TextField
        id="provider.fromAddress"
        type="email"
        label={i18n.t('settings.provider.fromAddress')}
        help={i18n.t('settings.smtp.fromAddress.help')}
        value={p.fromAddress}
        onValue={(fromAddress) => set({ fromAddress })}
        error={errors['provider.fromAddress']}
        autoComplete="email"
        required
      />
      {p.name === 'mailjet' ? (
        <TextField
          id="provider.publicApiKey"
          type="password"
          label={i18n.t('settings.provider.publicApiKey')}
          help={saved?.hasPublicApiKey ? i18n.t('settings.secret.saved') : undefined}
          value={p.publicApiKey}
          onValue={(publicApiKey) => set({ publicApiKey })}
          error={errors['provider.publicApiKey']}
          autoComplete="off"
          required={!saved?.hasPublicApiKey}
        />
      ) : null}
      <TextField
        id="provider.privateApiKey"
        type="password"
        label={i18n.t(p.name === 'mailjet' ? 'settings.provider.privateApiKey' : 'settings.provider.apiKey')}
        help={privateHelp}
        value={p.privateApiKey}
        onValue={(privateApiKey) => set({ privateApiKey })}
        error={errors['provider.privateApiKey']}
        autoComplete="off"
        required={!saved?.hasPrivateApiKey}
      />
      {p.name === 'mailgun' ? (
        <>
          <fieldset class="inline" aria-describedby={errors['provider.region'] ? 'provider.region-error' : undefined}>
            <legend>{i18n.t('settings.provider.region')}</legend>
            {(['eu', 'us'] as const).map((r) => (
              <span class="choice" key={r}>
                <input
                  type="radio"
                  id={`provider.region-${r}`}
                  name="provider.region"
                  value={r}
                  checked={p.region === r}
                  onChange={() => set({ region: r })}
                />
                <label for={`provider.region-${r}`}>{i18n.t(`region.${r}`)}</label>
              </span>
            ))}
            {errors['provider.region'] ? (
              <p class="field-error" id="provider.region-error">
                {errors['provider.region']}
              </p>
            ) : null}
          </fieldset>
          <TextField
            id="provider.domain"
            label={i18n.t('settings.provider.domain')}
            help={i18n.t('settings.provider.domain.help')}
            value={p.domain}
            onValue={(domain) => set({ domain })}
            error={errors['provider.domain']}
            placeholder={p.fromAddress.includes('@') ? p.fromAddress.split('@')[1] : undefined}
          />
        </>
      ) : null}
      <WebhookStatus i18n={i18n} answer={saved ? answer : null} provider={p} errors={errors} onChange={onChange} />
    </fieldset>
  );
}

/** Whether delivered/opened/bounced will reach the history: the webhook registered in the tenant's account. */
function WebhookStatus(props: {
  i18n: I18n;
  answer: SettingsAnswer | null;
  provider: ProviderForm;
  errors: Record<string, string>;
  onChange: (p: ProviderForm) => void;
}) {
  const { i18n, answer, provider: p, errors, onChange } = props;
  const w = answer?.webhook;
  // The provider refused the saved key, region or domain: nothing can be registered or pasted until
  // that is fixed, so the admin is told to fix it first and the verification key box is not offered.
  const refused = answer?.warnings?.some((x) => x.code === 'provider_credentials_refused') ?? false;
  return (
    <section class="webhook" aria-labelledby="webhook-heading">
      <h2 id="webhook-heading">{i18n.t('webhook.heading')}</h2>
      {!w ? (
        <p class="help">{i18n.t('webhook.afterSave')}</p>
      ) : w.registered ? (
        <Notice kind="success">
          <p>{i18n.t('webhook.registered')}</p>
          <p>{w.lastEventAt ? i18n.t('webhook.lastEvent', { date: i18n.date(w.lastEventAt) }) : i18n.t('webhook.noEventYet')}</p>
        </Notice>
      ) : refused ? (
        <Notice kind="warning">
          <p class="webhook-refused">
            {i18n.t('webhook.refused', {
              provider: PROVIDER_LABEL[p.name],
              check: w.hintKey ? i18n.tOr(`refused.check.${w.hintKey}`, i18n.t('webhook.refused.check')) : i18n.t('webhook.refused.check'),
            })}
          </p>
        </Notice>
      ) : (
        <>
          <Notice kind="warning">
            <p>{i18n.t('webhook.notRegistered')}</p>
            <WebhookFailure i18n={i18n} webhook={w} />
          </Notice>
          <TextField
            id="provider.webhookVerificationKey"
            type="password"
            label={i18n.t('webhook.manualKey')}
            help={i18n.t('webhook.manualKey.help', { url: w.url, provider: PROVIDER_LABEL[p.name] })}
            value={p.webhookVerificationKey}
            onValue={(webhookVerificationKey) => onChange({ ...p, webhookVerificationKey })}
            error={errors['provider.webhookVerificationKey']}
          />
        </>
      )}
    </section>
  );
}

/** Why registration failed in the reader's words, with the server's own beside them; its words alone when they have no key. */
function WebhookFailure({ i18n, webhook: w }: { i18n: I18n; webhook: WebhookAnswer }) {
  if (!w.error) return null;
  const reason = webhookFailure(i18n, w);
  if (!reason) return <p class="server-words">{w.error}</p>;
  return (
    <>
      <p class="webhook-failure">{reason}</p>
      <p>
        {i18n.t('test.serverSaid')}: <code class="server-words">{w.error}</code>
      </p>
    </>
  );
}
