import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { ApiError, type ApiClient } from '../api/api-client';
import type { EmailRecord } from '../api/types';
import type { MessageKey } from '../i18n/en';
import type { I18n } from '../i18n/i18n';
import { Notice } from '../components/notices';
import { statusLabel } from '../components/status-badge';
import { apiProblem } from '../i18n/api-words';

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
  /** Said once it is done, with the email's status then ({status}). */
  done: MessageKey;
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
    done: 'email.action.retry.done',
    appliesTo: (e) => e.status === 'failed' && !e.test && !e.contentPurgedAt,
    run: (api, e) => api.retryEmail(e.id),
  },
  {
    label: 'email.action.cancel',
    confirm: 'email.action.cancel.confirm',
    done: 'email.action.cancel.done',
    appliesTo: mayCancel,
    run: (api, e) => api.cancelEmail(e.id),
  },
];

/** After an action, an email still queued or sending is looked at again this many times, this far apart. */
const FOLLOW_UPS = 6;
const FOLLOW_EVERY_MS = 1500;
const IN_FLIGHT = new Set(['queued', 'sending']);

type Said = { kind: 'success' | 'warning' | 'error'; text: string };

/**
 * The buttons, and what came of a click, said in a status region that takes the focus (the clicked
 * button may be gone: a retried email is no longer failed). The email is replaced in place
 * (`onChanged`), never unloaded. A 409 means its status changed elsewhere meanwhile: it is loaded
 * again and that is said. An email still queued or sending is looked at again a few times.
 */
export function EmailActions(props: {
  i18n: I18n;
  api: ApiClient;
  email: EmailRecord;
  actions?: readonly EmailAction[];
  onChanged: (email: EmailRecord) => void;
}) {
  const { i18n, api, email, actions = EMAIL_ACTIONS, onChanged } = props;
  const [busy, setBusy] = useState(false);
  const [said, setSaid] = useState<Said | null>(null);
  const [following, setFollowing] = useState<{ action: EmailAction; left: number } | null>(null);
  const saidRef = useRef<HTMLDivElement>(null);

  useLayoutEffect(() => {
    if (said) saidRef.current?.querySelector<HTMLElement>('#action-outcome')?.focus();
  }, [said === null, said?.kind]);

  useEffect(() => {
    if (!following || following.left <= 0 || !IN_FLIGHT.has(email.status)) return;
    const timer = setTimeout(async () => {
      const now = await api.getEmail(email.id).catch(() => null);
      if (now) {
        onChanged(now);
        if (now.status !== email.status)
          setSaid({ kind: 'success', text: i18n.t(following.action.done, { status: statusLabel(i18n, now.status) }) });
      }
      setFollowing({ ...following, left: following.left - 1 });
    }, FOLLOW_EVERY_MS);
    return () => clearTimeout(timer);
  }, [following, email.status]);

  const offered = actions.filter((a) => a.appliesTo(email));
  if (offered.length === 0 && !said) return null;
  const run = async (a: EmailAction) => {
    if (a.confirm && !window.confirm(i18n.t(a.confirm))) return;
    setBusy(true);
    setSaid(null);
    setFollowing(null);
    try {
      const result = (await a.run(api, email)) as { status?: string } | undefined;
      const now = await api.getEmail(email.id).catch(() => null);
      if (now) onChanged(now);
      setSaid({ kind: 'success', text: i18n.t(a.done, { status: statusLabel(i18n, now?.status ?? result?.status ?? '') }) });
      setFollowing({ action: a, left: FOLLOW_UPS });
    } catch (e) {
      const now = e instanceof ApiError && e.status === 409 ? await api.getEmail(email.id).catch(() => null) : null;
      if (now) {
        onChanged(now);
        setSaid({ kind: 'warning', text: i18n.t('email.action.conflict', { status: statusLabel(i18n, now.status) }) });
      } else {
        setSaid({ kind: 'error', text: i18n.t('email.action.failed', { message: apiProblem(i18n, e) }) });
      }
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="email-actions" ref={saidRef}>
      {offered.length ? (
        <div class="actions">
          {offered.map((a) => (
            <button type="button" class="secondary" key={a.label} disabled={busy} onClick={() => run(a)}>
              {i18n.t(a.label)}
            </button>
          ))}
        </div>
      ) : null}
      {said ? (
        <Notice kind={said.kind} id="action-outcome">
          <p>{said.text}</p>
        </Notice>
      ) : null}
    </div>
  );
}
