import { promises as fs } from 'node:fs';
import path from 'node:path';

/** An email id becomes a file name: nothing that could climb out of the outbox. */
export const SAFE_OUTBOX_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/;

/** `<dir>/<emailId>.eml`, or undefined for an id that cannot name an outbox file. */
export function outboxFileOf(dir: string, emailId: string): string | undefined {
  if (!SAFE_OUTBOX_ID.test(emailId) || emailId.includes('..')) return undefined;
  return path.join(path.resolve(dir), `${emailId}.eml`);
}

/**
 * Deletes an email's `.eml` from the outbox (it holds the body and the attachments), for the content
 * retention sweep. Answers whether there was one; a missing file or outbox is not an error.
 */
export async function removeOutboxFile(dir: string, emailId: string): Promise<boolean> {
  const file = outboxFileOf(dir, emailId);
  if (!file) return false;
  try {
    await fs.unlink(file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}
