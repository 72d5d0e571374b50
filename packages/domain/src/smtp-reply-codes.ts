/** RFC 3463's enhanced status code (`5.1.1`), as servers write it after the reply code. */
const ENHANCED_STATUS = /\b([245]\.\d{1,3}\.\d{1,3})\b/;

/** The enhanced status code in a server's words, when it gave one. */
export function enhancedStatusIn(text: string | undefined): string | undefined {
  return text ? ENHANCED_STATUS.exec(text)?.[1] : undefined;
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
