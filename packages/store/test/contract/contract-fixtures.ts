import { randomBytes, randomUUID } from 'node:crypto';
import type {
  Address,
  EmailContent,
  EmailRecord,
  EmailSettings,
  HistoryQuery,
  RecipientKind,
  RecipientState,
  RecipientStatus,
} from '@mailroom/domain';
import type { Store } from '../../src/store.port';

/** Builders shared by the contract suites: realistic records, fixed clock, one fresh tenant per test. */

export type StoreRef = () => Store;

const T0 = Date.parse('2024-03-01T10:00:00.000Z');

/** A UTC `toISOString()` timestamp `seconds` after a fixed origin. */
export const at = (seconds: number): string => new Date(T0 + seconds * 1000).toISOString();

export const uniqueTenantId = (label: string): string => `${label}-${randomUUID().slice(0, 8)}`;

export const historyQuery = (over: Partial<HistoryQuery> = {}): HistoryQuery => ({ limit: 50, ...over });

function recipientsOf(lists: Record<RecipientKind, Address[]>, status: RecipientStatus, updatedAt: string): RecipientState[] {
  return (Object.keys(lists) as RecipientKind[]).flatMap((kind) =>
    lists[kind].map((a): RecipientState => ({ email: a.email, ...(a.name ? { name: a.name } : {}), kind, status, updatedAt })),
  );
}

/** A queued invoice email; `over` replaces any field (recipients follow to/cc/bcc unless given). */
export function makeEmail(tenantId: string, id: string, over: Partial<EmailRecord> = {}): EmailRecord {
  const to = over.to ?? [{ email: 'buyer@example.com', name: 'Buyer SL' }];
  const cc = over.cc ?? [];
  const bcc = over.bcc ?? [];
  const createdAt = over.createdAt ?? at(0);
  const status = over.status ?? 'queued';
  return {
    id,
    tenantId,
    status,
    subject: 'Invoice F-2024-001',
    document: { type: 'invoice', id: 'inv-1', number: 'F-2024-001' },
    from: { email: 'billing@acme.test', name: 'Acme' },
    replyTo: 'billing@acme.test',
    to,
    cc,
    bcc,
    transport: { mode: 'platform' },
    recipients: recipientsOf({ to, cc, bcc }, status, createdAt),
    attempts: [],
    events: [{ type: 'queued', at: createdAt, key: 'api:queued', source: 'api' }],
    opens: { count: 0, machineCount: 0 },
    metadata: { customerId: 'c-9', total: 121.5, paid: false, note: null },
    test: false,
    hasHtml: true,
    attachmentCount: 2,
    createdAt,
    updatedAt: createdAt,
    ...over,
  };
}

/** Every byte value, then random bytes: what must come back byte for byte. */
export function makeContent(): EmailContent {
  const everyByte = Buffer.from(Array.from({ length: 512 }, (_, i) => i % 256));
  return {
    text: 'Adjuntamos la factura F-2024-001. Gracias — Acme',
    html: '<p>Adjuntamos la factura <b>F-2024-001</b>.</p>',
    attachments: [
      { filename: 'F-2024-001.pdf', contentType: 'application/pdf', content: Buffer.concat([everyByte, randomBytes(100_000)]) },
      { filename: 'nota.txt', contentType: 'text/plain', content: Buffer.from([0, 255, 0, 10, 13]) },
    ],
  };
}

export function makeSettings(tenantId: string, over: Partial<Omit<EmailSettings, 'version'>> = {}): Omit<EmailSettings, 'version'> {
  return {
    tenantId,
    mode: 'smtp',
    senderName: 'Acme',
    replyTo: 'billing@acme.test',
    cc: [],
    bcc: [{ email: 'archive@acme.test' }],
    smtp: {
      preset: 'other',
      fromAddress: 'billing@acme.test',
      username: 'billing@acme.test',
      host: 'smtp.acme.test',
      port: 587,
      tls: false,
      password: 'k1:aXY=:dGFn:Y2lwaGVy',
    },
    updatedAt: at(0),
    ...over,
  };
}

/** Creates emails one after the other (order of writes matters for some tests). */
export async function createAll(store: Store, emails: EmailRecord[]): Promise<void> {
  for (const email of emails) await store.emails.create({ email, content: { text: 'x', attachments: [] } });
}

/** Content with attachment bytes as base64: compares byte for byte, and fast (jest walks Buffers element by element). */
export function comparableContent(content: EmailContent | null): unknown {
  if (!content) return content;
  return {
    ...content,
    attachments: content.attachments.map((a) => ({ ...a, isBuffer: Buffer.isBuffer(a.content), content: a.content.toString('base64') })),
  };
}
