import type { EmailRecord } from '../api/types';
import type { I18n } from '../i18n/i18n';

/**
 * "hard · 550 5.1.1 · User unknown": the codes only when the server's words do not already hold them.
 * A recipient we did not send to says why in the reader's language: on the suppression list (since
 * when, and why), or canceled. Shared by the email's detail and the document view.
 */
export function recipientReason(r: EmailRecord['recipients'][number], i18n: I18n): string {
  if (r.status === 'suppressed' && r.suppression)
    return i18n.t('email.suppressedReason', {
      date: i18n.date(r.suppression.since),
      reason: i18n.t(`suppression.reason.${r.suppression.reason}`),
    });
  if (r.status === 'canceled') return i18n.t('email.canceledReason');
  // The reply code (550) and the enhanced status (5.1.1), unless the server's words already hold them.
  const codes = [r.responseCode, r.statusCode].filter((c) => c !== undefined && !r.reason?.includes(String(c))).join(' ');
  return [r.bounceType, codes, r.reason].filter(Boolean).join(' · ');
}
