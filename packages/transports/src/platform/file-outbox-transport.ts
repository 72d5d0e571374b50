import { DeliveryError, hintOf } from '@mailroom/domain';
import { randomBytes } from 'node:crypto';
import { constants as fsConstants, promises as fs } from 'node:fs';
import path from 'node:path';
import type { OutgoingMessage, SendResult, Transport } from '../transport';
import type { SmtpTransportLogger } from '../smtp/smtp-transport';
import { buildMime, composeMessageTree } from '../smtp/compose-smtp-mail';
import { outboxFileOf } from './outbox-files';

export interface FileOutboxTransportOptions {
  /** Created when missing. Usually `$DATA_DIR/outbox`. */
  dir: string;
  logger?: SmtpTransportLogger;
}

/**
 * The platform transport when no PLATFORM_TRANSPORT is configured: each email is composed exactly
 * as the SMTP transport sends it (same composer, no Bcc header: BCC recipients show only in the
 * SendResult, as in an SMTP envelope) and written to `<dir>/<emailId>.eml`,
 * atomically (a temporary file renamed into place, so a reader never sees half a message). A retry
 * of the same email replaces its file. Every envelope recipient is reported accepted.
 */
export class FileOutboxTransport implements Transport {
  readonly kind = 'platform' as const;
  readonly dir: string;
  private readonly logger?: SmtpTransportLogger;

  constructor(options: FileOutboxTransportOptions) {
    this.dir = path.resolve(options.dir);
    this.logger = options.logger;
  }

  async send(message: OutgoingMessage): Promise<SendResult> {
    const file = outboxFileOf(this.dir, message.emailId);
    if (!file) {
      throw new DeliveryError(`email id ${JSON.stringify(message.emailId)} cannot name an outbox file`, {
        code: 'ECONFIG',
        retryable: false,
      });
    }
    let envelopeTo: string[];
    try {
      const { root } = composeMessageTree(message);
      const bytes = await buildMime(root);
      envelopeTo = root.getEnvelope().to;
      await fs.mkdir(this.dir, { recursive: true });
      const temp = path.join(this.dir, `.${message.emailId}.${randomBytes(6).toString('hex')}.tmp`);
      try {
        await fs.writeFile(temp, bytes, { flag: 'wx' });
        await fs.rename(temp, file);
      } catch (error) {
        await fs.rm(temp, { force: true });
        throw error;
      }
    } catch (error) {
      if (error instanceof DeliveryError) throw error;
      throw outboxFailure(error, this.dir);
    }
    this.logger?.debug({ tenantId: message.tenantId, emailId: message.emailId, file }, 'email written to the outbox');
    const response = `250 written to ${file}`;
    return {
      messageId: message.messageId,
      response,
      recipients: uniqueLower(envelopeTo).map((email) => ({ email, accepted: true, response, responseCode: 250 })),
    };
  }

  /** The outbox exists (it is created) and is writable. */
  async verify(): Promise<void> {
    try {
      await fs.mkdir(this.dir, { recursive: true });
      await fs.access(this.dir, fsConstants.W_OK);
    } catch (error) {
      throw outboxFailure(error, this.dir);
    }
  }
}

/** A full disk may pass; a missing permission will not. */
function outboxFailure(error: unknown, dir: string): DeliveryError {
  const code = (error as NodeJS.ErrnoException)?.code ?? 'EOUTBOX';
  const retryable = !['EACCES', 'EPERM', 'EROFS', 'ENOTDIR'].includes(code);
  return new DeliveryError(`could not write to the outbox ${dir}: ${(error as Error)?.message ?? String(error)}`, {
    code,
    retryable,
    ...(retryable
      ? {}
      : hintOf('platform.outboxUnwritable', `The platform cannot write to ${dir}: check DATA_DIR and its permissions.`, { dir })),
  });
}

function uniqueLower(emails: string[]): string[] {
  const seen = new Set<string>();
  return emails.filter((e) => {
    const k = e.toLowerCase();
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
