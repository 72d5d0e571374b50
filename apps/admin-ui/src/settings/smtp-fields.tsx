import type { ApiClient } from '../api/api-client';
import { CheckboxField, SelectField, TextField } from '../components/fields';
import type { SettingsAnswer } from '../api/types';
import type { I18n } from '../i18n/i18n';
import { OAuthConnect } from './oauth-connect';
import {
  IONOS_MARKETS,
  IonosMarket,
  ionosMarketOfForm,
  oauthVendorOf,
  PRESETS,
  presetEndpoint,
  SmtpForm,
  storedPasswordApplies,
  withIonosMarket,
  withPreset,
} from './settings-form';

/**
 * "Enviar desde tu SMTP": the preset fills host, port and TLS (shown, and changeable behind a
 * disclosure); `other` shows them as plain fields. The password is never shown again: the field is
 * empty, says it is saved, and left empty keeps the stored one while the server and the user name stay
 * the same (the API sends it nowhere else); after a change of either it is asked for again. Gmail and Outlook mailboxes may
 * instead be connected with their vendor (OAuth2) where the platform offers it: then there is no user
 * name or password to give.
 */
export function SmtpFields(props: {
  i18n: I18n;
  api: ApiClient;
  smtp: SmtpForm;
  saved?: SettingsAnswer['smtp'];
  /** Which vendors the platform offers to connect, and whether the last send asks for a reconnect. */
  oauth?: SettingsAnswer['oauth'];
  reconnectNeeded?: boolean;
  /** Loads the settings again (a connection finished in another window). */
  onConnected: () => void;
  errors: Record<string, string>;
  onChange: (s: SmtpForm) => void;
}) {
  const { i18n, smtp, saved, errors, onChange } = props;
  const vendor = oauthVendorOf(smtp.preset);
  const offered = vendor && props.oauth?.[vendor] ? vendor : undefined;
  const signedIn = smtp.auth === 'oauth2' && Boolean(offered);
  const set = (patch: Partial<SmtpForm>) => onChange({ ...smtp, ...patch });
  const preset = presetEndpoint(smtp.preset);
  const ionosMarket = ionosMarketOfForm(smtp);
  const serverErrors = Boolean(errors['smtp.host'] || errors['smtp.port'] || errors['smtp.tls']);
  const tls = i18n.t(smtp.tls ? 'tls.implicit' : 'tls.starttls');
  // The stored password goes only to the server and user it was given for: changing either asks for it again.
  const passwordKept = storedPasswordApplies(smtp, saved);
  const passwordHelp = [
    passwordKept ? i18n.t('settings.smtp.password.saved') : saved?.hasPassword ? i18n.t('settings.smtp.password.again') : '',
    smtp.preset === 'gmail' ? i18n.t('settings.smtp.password.gmail') : '',
  ]
    .filter(Boolean)
    .join(' ');

  const serverFields = (
    <>
      <TextField
        id="smtp.host"
        label={i18n.t('settings.smtp.host')}
        value={smtp.host}
        onValue={(host) => set({ host })}
        error={errors['smtp.host']}
        required
      />
      <TextField
        id="smtp.port"
        type="number"
        inputMode="numeric"
        label={i18n.t('settings.smtp.port')}
        value={smtp.port}
        onValue={(port) => set({ port })}
        error={errors['smtp.port']}
        required
      />
      <CheckboxField
        id="smtp.tls"
        label={i18n.t('settings.smtp.tls')}
        help={i18n.t('settings.smtp.tls.help')}
        checked={smtp.tls}
        onChecked={(v) => set({ tls: v })}
        error={errors['smtp.tls']}
      />
    </>
  );

  return (
    <fieldset>
      <legend>{i18n.t('settings.smtp.legend')}</legend>
      <SelectField
        id="smtp.preset"
        label={i18n.t('settings.smtp.preset')}
        value={smtp.preset}
        options={PRESETS.map((p) => ({ value: p, label: i18n.t(`preset.${p}`) }))}
        onValue={(p) => onChange(withPreset(smtp, p))}
        help={preset ? i18n.t('settings.smtp.presetServer', { host: smtp.host, port: smtp.port, tls }) : undefined}
        error={errors['smtp.preset']}
      />
      {smtp.preset === 'ionos' ? (
        // IONOS names its server after the contract's market: choosing it fills the server in.
        <SelectField<IonosMarket | 'other'>
          id="smtp.ionosMarket"
          label={i18n.t('settings.smtp.ionosMarket')}
          value={ionosMarket}
          options={[
            ...IONOS_MARKETS.map((m) => ({ value: m, label: i18n.t(`ionosMarket.${m}`) })),
            ...(ionosMarket === 'other' ? [{ value: 'other' as const, label: i18n.t('ionosMarket.other') }] : []),
          ]}
          onValue={(m) => (m === 'other' ? undefined : onChange(withIonosMarket(smtp, m)))}
        />
      ) : null}
      {offered ? (
        <OAuthConnect
          i18n={i18n}
          api={props.api}
          vendor={offered}
          smtp={smtp}
          saved={saved}
          reconnectNeeded={Boolean(props.reconnectNeeded)}
          onUsePassword={() => set({ auth: 'password' })}
          onConnected={props.onConnected}
        />
      ) : null}
      {preset ? (
        <details class="server" open={serverErrors}>
          <summary>{i18n.t('settings.smtp.changeServer')}</summary>
          {serverFields}
        </details>
      ) : (
        serverFields
      )}
      <TextField
        id="smtp.fromAddress"
        type="email"
        label={i18n.t('settings.smtp.fromAddress')}
        help={i18n.t('settings.smtp.fromAddress.help')}
        value={smtp.fromAddress}
        onValue={(fromAddress) => set({ fromAddress })}
        error={errors['smtp.fromAddress']}
        autoComplete="email"
        required
      />
      {signedIn ? null : (
        <>
          <TextField
            id="smtp.username"
            label={i18n.t('settings.smtp.username')}
            help={i18n.t('settings.smtp.username.help')}
            value={smtp.username}
            onValue={(username) => set({ username })}
            error={errors['smtp.username']}
            autoComplete="username"
            required
          />
          <TextField
            id="smtp.password"
            type="password"
            label={i18n.t('settings.smtp.password')}
            help={passwordHelp || undefined}
            value={smtp.password}
            onValue={(password) => set({ password })}
            error={errors['smtp.password']}
            autoComplete="new-password"
            required={!passwordKept}
          />
        </>
      )}
    </fieldset>
  );
}
