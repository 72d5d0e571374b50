import type { EmailRecord, RecipientStatus } from '../api/types';
import type { I18n } from '../i18n/i18n';

/** Where each status sits: the symbol and the class say the same as the words, for people who do not see colour. */
const TONE: Record<RecipientStatus, { tone: 'ok' | 'progress' | 'problem' | 'wait'; symbol: string }> = {
  queued: { tone: 'wait', symbol: '…' },
  sending: { tone: 'progress', symbol: '→' },
  accepted: { tone: 'progress', symbol: '→' },
  deferred: { tone: 'wait', symbol: '↻' },
  delivered: { tone: 'ok', symbol: '✓' },
  opened: { tone: 'ok', symbol: '✓' },
  bounced: { tone: 'problem', symbol: '✗' },
  dropped: { tone: 'problem', symbol: '✗' },
  complained: { tone: 'problem', symbol: '✗' },
  failed: { tone: 'problem', symbol: '✗' },
  suppressed: { tone: 'problem', symbol: '⊘' },
  canceled: { tone: 'wait', symbol: '⊘' },
};

export function statusLabel(i18n: I18n, status: string): string {
  return i18n.tOr(`status.${status}`, status);
}

export function StatusBadge({ status, i18n }: { status: string; i18n: I18n }) {
  const look = TONE[status as RecipientStatus] ?? { tone: 'wait', symbol: '•' };
  return (
    <span class={`badge badge-${look.tone}`} data-status={status}>
      <span aria-hidden="true">{look.symbol} </span>
      {statusLabel(i18n, status)}
    </span>
  );
}

const PROBLEMS = new Set(['bounced', 'dropped', 'complained', 'failed', 'suppressed']);

/**
 * The recipients of one email, with a recipient's own status where the email's would hide a problem:
 * an email that reached the archive BCC but bounced for the client must not read as simply "sent".
 */
export function RecipientList({ email, i18n }: { email: EmailRecord; i18n: I18n }) {
  return (
    <ul class="recipient-list">
      {email.recipients.map((r) => (
        <li key={`${r.kind}:${r.email}`}>
          {r.email}
          {r.status !== email.status && (PROBLEMS.has(r.status) || PROBLEMS.has(email.status)) ? (
            <>
              {' '}
              <StatusBadge status={r.status} i18n={i18n} />
            </>
          ) : null}
        </li>
      ))}
    </ul>
  );
}
