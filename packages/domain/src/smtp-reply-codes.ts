/** RFC 3463's enhanced status code (`5.1.1`), as servers write it after the reply code. */
const ENHANCED_STATUS = /\b([245]\.\d{1,3}\.\d{1,3})\b/;
/** The reply code an SMTP reply starts with: `550 5.1.1 ...`, or `550-5.1.1 ...` on a multi-line reply. */
const LEADING_REPLY_CODE = /^\s*([2-5]\d\d)(?![\d.])/;

/** The enhanced status code in a server's words, when it gave one. */
export function enhancedStatusIn(text: string | undefined): string | undefined {
  return text ? ENHANCED_STATUS.exec(text)?.[1] : undefined;
}

/** The reply code a server's words start with (550), when they start with one. */
export function replyCodeIn(text: string | undefined): number | undefined {
  const code = text ? LEADING_REPLY_CODE.exec(text)?.[1] : undefined;
  return code ? Number(code) : undefined;
}

/**
 * The two codes of an SMTP reply, named as the history and the callbacks name them everywhere:
 * `responseCode` the reply code (550), `statusCode` the enhanced status code (`5.1.1`) when the
 * server gave one. Only the fields known are present.
 */
export function smtpReplyCodes(reply: { responseCode?: number; response?: string }): { responseCode?: number; statusCode?: string } {
  const statusCode = enhancedStatusIn(reply.response);
  return { ...(reply.responseCode !== undefined ? { responseCode: reply.responseCode } : {}), ...(statusCode ? { statusCode } : {}) };
}

/**
 * The same two codes from a provider's report of a reply: `code` is the provider's own field, which
 * holds either kind (Mailgun's `delivery-status.code` 550, SendGrid's `status` "5.1.1", or a bare "550"),
 * and `words` the server's reply as the provider quotes it (`550 5.1.1 No such user`). The field wins
 * over the words; a code outside 2xx-5xx (Mailgun's own 605) is no SMTP reply code and is left out.
 */
export function providerReplyCodes(code: unknown, words: string | undefined): { responseCode?: number; statusCode?: string } {
  const field = typeof code === 'number' ? String(code) : typeof code === 'string' ? code.trim() : '';
  const fieldStatus = ENHANCED_STATUS.exec(field)?.[1] === field ? field : undefined;
  const fieldReply = /^[2-5]\d\d$/.test(field) ? Number(field) : undefined;
  return smtpReplyCodes({ responseCode: fieldReply ?? replyCodeIn(words), response: fieldStatus ?? words });
}
