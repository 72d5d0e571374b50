import type { EmailSettings } from '@mailroom/domain';
import { domainOf } from '@mailroom/domain';

/**
 * The seed's advice as behaviour: things that will not stop a save but will bite a tenant later.
 * Each warning says what happens and what to do.
 */
export function settingsWarnings(s: EmailSettings): string[] {
  const out: string[] = [];
  const smtp = s.mode === 'smtp' ? s.smtp : undefined;
  if (smtp && smtp.preset !== 'other' && smtp.fromAddress.toLowerCase() !== smtp.username.toLowerCase()) {
    const who = { gmail: 'Gmail', outlook: 'Office 365', ionos: 'IONOS' }[smtp.preset];
    out.push(
      `fromAddress (${smtp.fromAddress}) differs from the SMTP username (${smtp.username}): ${who} may rewrite or refuse the sender unless it is an alias the account may send as. Use the same address for both.`,
    );
  }
  if (smtp && smtp.tls === false && smtp.port === 465)
    out.push('port 465 expects TLS from the first byte: set tls to true, or use port 587 with STARTTLS.');
  if (smtp && smtp.tls === true && smtp.port === 587)
    out.push('port 587 speaks STARTTLS: set tls to false (STARTTLS is still required), or use port 465.');
  const p = s.mode === 'provider' ? s.provider : undefined;
  if (
    p?.name === 'mailgun' &&
    p.domain &&
    domainOf(p.fromAddress) !== p.domain &&
    !domainOf(p.fromAddress).endsWith(`.${p.domain}`) &&
    !p.domain.endsWith(`.${domainOf(p.fromAddress)}`)
  ) {
    out.push(
      `the From address's domain (${domainOf(p.fromAddress)}) does not match the Mailgun sending domain (${p.domain}): recipients' servers may fail DMARC and junk the invoices.`,
    );
  }
  if (p?.webhook && !p.webhook.registered) {
    out.push(
      `the ${p.name} webhook is not registered${p.webhook.error ? ` (${p.webhook.error})` : ''}: delivered, opened and bounced will not show in the history until it is. Register ${p.webhook.url} in ${p.name} and paste the verification key.`,
    );
  }
  return out;
}

/** A rejected login or sender, remembered from the last send, turned into advice. */
export function lastFailureWarnings(s: EmailSettings): string[] {
  const f = s.lastFailure;
  if (!f) return [];
  if (s.mode === 'smtp' && s.smtp?.preset === 'gmail' && f.code === 'EAUTH')
    return [
      `Gmail rejected the login on ${f.at}: use a 16-character app password (Google account > Security > 2-Step Verification > App passwords), not the account password.`,
    ];
  return [`the last send failed on ${f.at} (${f.code})${f.hint ? `: ${f.hint}` : ''}`];
}
