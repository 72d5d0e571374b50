import type { Address, EmailContent, EmailRecord, EmailSettings } from '@mailroom/domain';
import { domainOf } from '@mailroom/domain';
import type { OutgoingMessage } from '@mailroom/transports';

export interface MessageContext {
  platformFrom: string;
  /** `${PUBLIC_BASE_URL}/t/o/<token>`, or undefined to add no pixel (provider mode tracks opens itself). */
  pixelUrl?: string;
}

/** Who the email is from, per mode: platform mode shows the tenant's name on the platform's address. */
export function fromAddress(settings: EmailSettings, platformFrom: string): Address {
  const email =
    settings.mode === 'smtp' ? settings.smtp!.fromAddress : settings.mode === 'provider' ? settings.provider!.fromAddress : platformFrom;
  return { email, name: settings.senderName };
}

/** Stable across retries: a duplicate delivery carries the same Message-ID, so mail clients thread it as one. */
export function messageIdFor(emailId: string, from: Address): string {
  return `<${emailId}@${domainOf(from.email)}>`;
}

export function withOpenPixel(html: string, pixelUrl: string): string {
  const img = `<img src="${pixelUrl}" width="1" height="1" alt="" style="display:block;width:1px;height:1px;border:0" />`;
  return /<\/body>/i.test(html) ? html.replace(/<\/body>/i, `${img}</body>`) : html + img;
}

export function buildOutgoingMessage(
  email: EmailRecord,
  content: EmailContent,
  settings: EmailSettings,
  ctx: MessageContext,
): OutgoingMessage {
  const from = fromAddress(settings, ctx.platformFrom);
  const replyTo = email.replyTo ?? settings.replyTo;
  const html = content.html !== undefined && ctx.pixelUrl ? withOpenPixel(content.html, ctx.pixelUrl) : content.html;
  return {
    emailId: email.id,
    tenantId: email.tenantId,
    from,
    ...(replyTo ? { replyTo: { email: replyTo } } : {}),
    to: email.to,
    cc: email.cc,
    bcc: email.bcc,
    subject: email.subject,
    ...(content.text !== undefined ? { text: content.text } : {}),
    ...(html !== undefined ? { html } : {}),
    attachments: content.attachments,
    messageId: email.messageId ?? messageIdFor(email.id, from),
    headers: { 'X-Mailroom-Email-Id': email.id },
    trackOpens: settings.mode === 'provider',
  };
}
