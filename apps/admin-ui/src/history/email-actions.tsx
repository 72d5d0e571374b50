import { useState } from 'preact/hooks';
import type { ApiClient } from '../api/api-client';
import type { EmailRecord } from '../api/types';
import type { MessageKey } from '../i18n/en';
import type { I18n } from '../i18n/i18n';
import { Notice } from '../components/notices';

/**
 * What a person can do to one email, each offered only where the API allows it: retry
 * (`POST .../emails/:id/retry`, failed emails that are not tests and still have their content). Cancel (`POST .../emails/:id/cancel`,
 * queued or deferred) will be one more entry here, one ApiClient method and one string per dictionary.
 */
export interface EmailAction {
  label: MessageKey;
  appliesTo(email: EmailRecord): boolean;
  run(api: ApiClient, email: EmailRecord): Promise<unknown>;
}

export const EMAIL_ACTIONS: readonly EmailAction[] = [
  // Not a test email (send a new test), nor one whose content retention deleted (the API answers 410).
  {
    label: 'email.action.retry',
    appliesTo: (e) => e.status === 'failed' && !e.test && !e.contentPurgedAt,
    run: (api, e) => api.retryEmail(e.id),
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
