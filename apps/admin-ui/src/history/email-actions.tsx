import { useState } from 'preact/hooks';
import type { ApiClient } from '../api/api-client';
import type { EmailRecord } from '../api/types';
import type { MessageKey } from '../i18n/en';
import type { I18n } from '../i18n/i18n';
import { Notice } from '../components/notices';

/**
 * What a person can do to one email, each offered only where the API allows it: retry
 * (`POST .../emails/:id/retry`, failed emails that are not tests and still have their content) and
 * cancel (`POST .../emails/:id/cancel`, emails nobody has accepted yet). A new action is one more entry
 * here, one ApiClient method and its strings in both dictionaries.
 */
export interface EmailAction {
  label: MessageKey;
  /** Asked first (a native confirm dialog) when the action cannot be undone. */
  confirm?: MessageKey;
  appliesTo(email: EmailRecord): boolean;
  run(api: ApiClient, email: EmailRecord): Promise<unknown>;
}

/**
 * Still waiting for a send of ours: queued, or deferred by our own retry (it has a next try, or the
 * server never took it). A `deferred` reported by a provider after it accepted the email is its retry,
 * not ours, and can no longer be canceled (the domain's cancelability, as the API decides it).
 */
export function mayCancel(e: EmailRecord): boolean {
  if (e.test) return false;
  return e.status === 'queued' || (e.status === 'deferred' && (e.nextAttemptAt !== undefined || e.messageId === undefined));
}

export const EMAIL_ACTIONS: readonly EmailAction[] = [
  // Not a test email (send a new test), nor one whose content retention deleted (the API answers 410).
  {
    label: 'email.action.retry',
    appliesTo: (e) => e.status === 'failed' && !e.test && !e.contentPurgedAt,
    run: (api, e) => api.retryEmail(e.id),
  },
  {
    label: 'email.action.cancel',
    confirm: 'email.action.cancel.confirm',
    appliesTo: mayCancel,
    run: (api, e) => api.cancelEmail(e.id),
  },
];

export function EmailActions(props: {
  i18n: I18n;
  api: ApiClient;
  email: EmailRecord;
  actions?: readonly EmailAction[];
  onDone: () => void;
}) {
  const { i18n, api, email, actions = EMAIL_ACTIONS, onDone } = props;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const offered = actions.filter((a) => a.appliesTo(email));
  if (offered.length === 0) return null;
  const run = async (a: EmailAction) => {
    if (a.confirm && !window.confirm(i18n.t(a.confirm))) return;
    setBusy(true);
    setError(null);
    try {
      await a.run(api, email);
      onDone();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="actions">
      {offered.map((a) => (
        <button type="button" class="secondary" key={a.label} disabled={busy} onClick={() => run(a)}>
          {i18n.t(a.label)}
        </button>
      ))}
      {error ? <Notice kind="error">{error}</Notice> : null}
    </div>
  );
}
