import type { EmailEvent } from '../api/types';
import type { I18n } from '../i18n/i18n';

/**
 * Whom a timeline event names, in the reader's words. A failed attempt that was for some recipients
 * only (after a send that went through for the others) lists them all, as a list in the reader's
 * locale ("attempt for a@x and b@x only"); any other event names its one recipient, or nobody.
 */
export function timelineRecipients(ev: Pick<EmailEvent, 'recipient' | 'recipients'>, i18n: I18n): string {
  if (ev.recipients && ev.recipients.length > 0) return i18n.t('event.attemptFor', { recipients: i18n.list(ev.recipients) });
  return ev.recipient ?? '';
}
