import { useState } from 'preact/hooks';
import { ApiError, type ApiClient } from '../api/api-client';
import type { OAuthVendor, SettingsAnswer } from '../api/types';
import { SelectField } from '../components/fields';
import { Notice } from '../components/notices';
import type { I18n } from '../i18n/i18n';
import { serverOverrides, SmtpForm } from './settings-form';
import { apiProblem } from '../i18n/api-words';

type Via = 'smtp' | 'graph';

/**
 * "Connect with Google / Microsoft": the mailbox signs in at its vendor instead of giving a password.
 * The API answers where to send the browser; the vendor sends it back here (`?oauth=connected`) when
 * the platform allows this screen's host (OAUTH_RETURN_HOSTS), else to a small page of the webhooks
 * app. Inside the platform's iframe the vendor's sign-in cannot be shown (Google and Microsoft refuse
 * to be framed): it opens in a new window, and back here the admin asks to see the connected mailbox.
 * Microsoft mailboxes choose SMTP or Graph. Shown only for the vendors the platform offers.
 */
export function OAuthConnect(props: {
  i18n: I18n;
  api: ApiClient;
  vendor: OAuthVendor;
  smtp: SmtpForm;
  saved?: SettingsAnswer['smtp'];
  /** The last send said the mailbox must be connected again (warning `oauth_reconnect_required`). */
  reconnectNeeded: boolean;
  onUsePassword: () => void;
  /** Loads the settings again (after a connection finished in another window). */
  onConnected: () => void;
}) {
  const { i18n, api, vendor, smtp, saved, reconnectNeeded } = props;
  const connected = saved?.auth === 'oauth2' && saved.oauth?.vendor === vendor ? saved.oauth : undefined;
  const [via, setVia] = useState<Via>(connected?.via ?? 'smtp');
  const [state, setState] = useState<{ busy: boolean; waiting?: boolean; problem?: string }>({ busy: false });

  const start = async () => {
    setState({ busy: true });
    const body = { via, ...numericServer(smtp) };
    const returnUrl = `${window.location.origin}${window.location.pathname}${window.location.search}`;
    try {
      if (inFrame()) {
        // The callback's own page says "connected" in the new window; this screen shows it on return.
        const started = await api.startOAuth(vendor, body);
        window.open(started.authorizeUrl, '_blank', 'noopener');
        return setState({ busy: false, waiting: true });
      }
      let started;
      try {
        started = await api.startOAuth(vendor, { ...body, returnUrl });
      } catch (e) {
        // This screen's host is not one the platform sends admins back to: the callback shows its own page.
        if (!(e instanceof ApiError && e.code === 'return_url_not_allowed')) throw e;
        started = await api.startOAuth(vendor, body);
      }
      window.location.assign(started.authorizeUrl);
    } catch (e) {
      setState({ busy: false, problem: i18n.t('settings.oauth.notStarted', { message: apiProblem(i18n, e) }) });
    }
  };

  return (
    <section class="oauth" aria-labelledby="oauth-heading">
      <h2 id="oauth-heading">{i18n.t('settings.oauth.legend')}</h2>
      <p class="help">{i18n.t(`settings.oauth.help.${vendor}`)}</p>
      {connected ? <p class="oauth-connected">{i18n.t('settings.oauth.connected', { mailbox: connected.mailbox })}</p> : null}
      {connected && reconnectNeeded ? <Notice kind="warning">{i18n.t('settings.oauth.reconnectNeeded')}</Notice> : null}
      {vendor === 'microsoft' ? (
        <SelectField<Via>
          id="oauth.via"
          label={i18n.t('settings.oauth.via')}
          value={via}
          options={[
            { value: 'smtp', label: i18n.t('settings.oauth.via.smtp') },
            { value: 'graph', label: i18n.t('settings.oauth.via.graph') },
          ]}
          onValue={setVia}
        />
      ) : null}
      <div class="actions">
        <button type="button" class={connected && !reconnectNeeded ? 'secondary' : 'primary'} onClick={start} disabled={state.busy}>
          {state.busy
            ? i18n.t('settings.oauth.opening')
            : i18n.t(connected ? `settings.oauth.reconnect.${vendor}` : `settings.oauth.connect.${vendor}`)}
        </button>
        {smtp.auth === 'oauth2' ? (
          <button type="button" class="secondary" onClick={props.onUsePassword}>
            {i18n.t('settings.oauth.usePassword')}
          </button>
        ) : null}
      </div>
      {state.waiting ? (
        <div class="actions" role="status">
          <p>{i18n.t('settings.oauth.finishInWindow')}</p>
          <button type="button" class="secondary" onClick={props.onConnected}>
            {i18n.t('settings.oauth.refresh')}
          </button>
        </div>
      ) : null}
      {state.problem ? (
        <p class="field-error" role="alert">
          {state.problem}
        </p>
      ) : null}
    </section>
  );
}

/** The form's server overrides as the start route takes them (a port typed as text becomes a number). */
function numericServer(smtp: SmtpForm): { host?: string; port?: number; tls?: boolean } {
  const { host, port, tls } = serverOverrides(smtp);
  return { ...(host ? { host } : {}), ...(typeof port === 'number' ? { port } : {}), ...(tls !== undefined ? { tls } : {}) };
}

/** Shown inside another page's frame (the platform's): a cross-origin top cannot be read, only compared. */
function inFrame(): boolean {
  try {
    return window.top !== window.self;
  } catch {
    return true;
  }
}
