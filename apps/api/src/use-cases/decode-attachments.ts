import type { Attachment, EnqueueEmailInput } from '@mailroom/domain';
import { HttpError } from '../http/http-error';

/** The attachments' bytes, decoded from the base64 the schema admitted; over MAX_ATTACHMENT_BYTES in all is a 413. */
export function decodeAttachments(input: EnqueueEmailInput, maxBytes: number): Attachment[] {
  const attachments = input.attachments.map((a) => ({
    filename: a.filename,
    contentType: a.contentType,
    content: Buffer.from(a.content, 'base64'),
  }));
  const total = attachments.reduce((n, a) => n + a.content.length, 0);
  if (total > maxBytes) {
    throw new HttpError(
      413,
      'attachments_too_large',
      `attachments total ${total} bytes; the limit is ${maxBytes} bytes (${(maxBytes / 1048576).toFixed(1)} MB)`,
      { limitBytes: maxBytes, totalBytes: total },
    );
  }
  return attachments;
}
