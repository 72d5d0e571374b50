import { randomBytes } from 'node:crypto';
import {
  Address,
  AttachmentInfo,
  EmailRecord,
  EmailSettings,
  EnqueueEmailInput,
  mergeAddresses,
  PendingEnqueue,
  RecipientState,
  TransportChoice,
} from '@mailroom/domain';

/** Time-ordered ids: `em_` + 12 hex of milliseconds + 16 hex of randomness. */
export function newEmailId(now: Date): string {
  return `em_${now.getTime().toString(16).padStart(12, '0')}${randomHex8()}`;
}

/** When `newEmailId` minted this id (ms), or null for an id of another shape. */
export function emailIdTime(id: string): number | null {
  return /^em_[0-9a-f]{28}$/.test(id) ? parseInt(id.slice(3, 15), 16) : null;
}

/**
 * 8 random bytes as hex, taken from a pool the CSPRNG fills 4 KB at a time: one `randomBytes` call per
 * email was 1.5 % of a batch enqueue's CPU (a system call each, on a busy machine), for the same bytes.
 */
function randomHex8(): string {
  if (poolOffset + 8 > pool.length) {
    pool = randomBytes(4096);
    poolOffset = 0;
  }
  poolOffset += 8;
  return pool.toString('hex', poolOffset - 8, poolOffset);
}
let pool = Buffer.alloc(0);
let poolOffset = 0;

export { requestHash } from './request-hash';

/** The tenant's default CC/BCC merged in; nobody gets the same email twice through two lists. */
export function mergeRecipients(input: Pick<EnqueueEmailInput, 'to' | 'cc' | 'bcc'>, settings: Pick<EmailSettings, 'cc' | 'bcc'>) {
  const to = mergeAddresses([input.to]);
  const cc = mergeAddresses([input.cc, settings.cc], to);
  const bcc = mergeAddresses([input.bcc, settings.bcc], [...to, ...cc]);
  return { to, cc, bcc };
}

/** What the history keeps of each attachment: it outlives the bytes, which go after CONTENT_RETENTION_SECONDS. */
export function attachmentInfo(attachments: EnqueueEmailInput['attachments']): AttachmentInfo[] {
  return attachments.map((a) => ({ filename: a.filename, contentType: a.contentType, size: decodedSize(a.content) }));
}

/** The bytes a base64 string decodes to, counted without decoding it when it has no line breaks (the usual case). */
function decodedSize(base64: string): number {
  if (base64.indexOf('\n') === -1 && base64.indexOf('\r') === -1) return Buffer.byteLength(base64, 'base64');
  return Buffer.from(base64, 'base64').length;
}

export function newEmailRecord(args: {
  id: string;
  tenantId: string;
  /** The email as posted; a batch item's comes without its attachments' contents, and their `attachments` below. */
  input: Omit<EnqueueEmailInput, 'attachments'> & { attachments?: EnqueueEmailInput['attachments'] };
  /** The attachments as the history keeps them, when the input's contents are not at hand (decoded elsewhere). */
  attachments?: AttachmentInfo[];
  /** The effective settings (domain effectiveSettings): defaults and plan fallback already applied. */
  settings: EmailSettings;
  /** What the history shows as the transport; by default the settings' mode. */
  transport?: TransportChoice;
  now: Date;
  test?: boolean;
  idempotencyKey?: string;
  requestHash?: string;
  pendingEnqueue?: PendingEnqueue;
}): EmailRecord {
  const { input, settings } = args;
  const attachments = args.attachments ?? attachmentInfo(input.attachments ?? []);
  const at = args.now.toISOString();
  const { to, cc, bcc } = mergeRecipients(input, settings);
  const recipient =
    (kind: RecipientState['kind']) =>
    (a: Address): RecipientState => ({ ...a, kind, status: 'queued', updatedAt: at });
  return {
    id: args.id,
    tenantId: args.tenantId,
    status: 'queued',
    subject: input.subject,
    ...(input.document ? { document: input.document } : {}),
    to,
    cc,
    bcc,
    ...(settings.replyTo ? { replyTo: settings.replyTo } : {}),
    transport: args.transport ?? {
      mode: settings.mode,
      ...(settings.mode === 'provider' && settings.provider ? { provider: settings.provider.name } : {}),
    },
    recipients: [...to.map(recipient('to')), ...cc.map(recipient('cc')), ...bcc.map(recipient('bcc'))],
    attempts: [],
    events: [{ type: 'queued', at, key: 'api:queued', source: 'api' }],
    opens: { count: 0, machineCount: 0 },
    ...(input.metadata ? { metadata: input.metadata } : {}),
    test: Boolean(args.test),
    ...(args.idempotencyKey ? { idempotencyKey: args.idempotencyKey } : {}),
    ...(args.requestHash ? { requestHash: args.requestHash } : {}),
    hasHtml: input.html !== undefined,
    attachmentCount: attachments.length,
    ...(attachments.length > 0 ? { attachments } : {}),
    ...(args.pendingEnqueue ? { pendingEnqueue: args.pendingEnqueue } : {}),
    createdAt: at,
    updatedAt: at,
  };
}
