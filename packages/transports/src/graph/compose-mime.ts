import { buildMime, composeMessageTree } from '../smtp/compose-smtp-mail';
import type { OutgoingMessage } from '../transport';

/**
 * The RFC 5322 message, composed as the SMTP transport composes it (composeMessageTree, then
 * serialized at once), so both paths put the same bytes on the wire: our Message-ID, our headers,
 * base64 attachments. One difference: the Bcc header is kept, because Graph has no envelope and
 * takes the recipients from To, Cc and Bcc (Exchange removes Bcc before delivery).
 */
export function composeMime(message: OutgoingMessage): Promise<Buffer> {
  const { root } = composeMessageTree(message);
  root.keepBcc = true;
  return buildMime(root);
}
