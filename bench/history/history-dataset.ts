import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { EmailEvent, EmailRecord, RecipientState, RecipientStatus } from '@mailroom/domain';
import { withSummary } from '@mailroom/domain';
import { migrateSqliteSchema, SQLITE_SCHEMA_VERSION } from '../../packages/store/src/sqlite/sqlite-schema';
import { SqliteStatements } from '../../packages/store/src/sqlite/sqlite-statements';
import { insertEmailRows } from '../../packages/store/src/sqlite/sqlite-email-rows';
import { seededRandom } from '../support/measure';

/** Bump when the generated data changes shape: the cache key has it beside the schema version. */
const GENERATOR_VERSION = 1;

export const BIG_TENANT = 'acme';
export const CLIENTS = 20_000;
export const ARCHIVE_BCC = 'archive@acme.example';
/** The year of history, oldest first. */
export const HISTORY_START = Date.parse('2025-07-01T00:00:00Z');
export const HISTORY_END = Date.parse('2026-07-01T00:00:00Z');
/** The large tenant turned its archive BCC on half-way: half its emails carry it. */
export const ARCHIVE_FROM = (HISTORY_START + HISTORY_END) / 2;

export const DOCUMENT_TYPES: readonly [string, number][] = [
  ['invoice', 0.7],
  ['quote', 0.15],
  ['order', 0.08],
  ['delivery_note', 0.05],
  ['credit_note', 0.02],
];

export interface HistoryDataset {
  file: string;
  bigTenantEmails: number;
  smallTenants: number;
  smallTenantEmails: number;
  /** How the file was had: built now (with the time it took) or found in the cache. */
  built: { seconds: number; emailsPerSecond: number } | 'cached';
}

/** Client index with a heavy head (a few clients get most invoices), like a real customer base. */
export const clientIndex = (r: number) => Math.min(CLIENTS - 1, Math.floor(CLIENTS * r * r * r));
export const clientAddress = (i: number) => `client${String(i).padStart(5, '0')}@customer${i % 997}.example`;

/**
 * The history of one large tenant (`bigTenantEmails` over a year) and many small ones (a tenth as many
 * emails again, 50 each on average), interleaved in time, as the apps would have written them: the
 * file is written through the store's own schema and row writer (insertEmailRows, the code
 * SqliteEmailStore.create runs), thousands of emails per transaction rather than one each, which is
 * what makes a million quick. Cached under bench/.data by schema and generator version and size.
 */
export function historyDataset(bigTenantEmails: number, dataDir: string, log: (s: string) => void = () => undefined): HistoryDataset {
  const smallTenants = Math.max(10, Math.round(bigTenantEmails / 500));
  const file = path.join(dataDir, `history-s${SQLITE_SCHEMA_VERSION}-g${GENERATOR_VERSION}-${bigTenantEmails}.db`);
  const meta = { file, bigTenantEmails, smallTenants };
  if (fs.existsSync(file)) {
    const db = new Database(file, { readonly: true });
    const small = (db.prepare('SELECT count(*) AS n FROM emails WHERE tenant_id <> ?').get(BIG_TENANT) as { n: number }).n;
    db.close();
    return { ...meta, smallTenantEmails: small, built: 'cached' };
  }
  fs.mkdirSync(dataDir, { recursive: true });
  for (const stale of fs.readdirSync(dataDir).filter((f) => f.startsWith('history-') && f.endsWith(`-${bigTenantEmails}.db`)))
    fs.rmSync(path.join(dataDir, stale), { force: true });
  const partial = `${file}.partial`;
  fs.rmSync(partial, { force: true });
  const started = Date.now();
  const db = new Database(partial);
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  // Index pages stay in memory while a million rows go in (random inserts into the address and document indexes).
  db.pragma('cache_size = -2000000');
  migrateSqliteSchema(db);
  const sql = new SqliteStatements(db);
  const rnd = seededRandom(42);
  const gen = new EmailGenerator(rnd);
  const content = { text: 'Please find your invoice attached.', attachments: [] };
  let written = 0;
  let small = 0;
  const batch = db.transaction((emails: EmailRecord[]) => {
    for (const e of emails) insertEmailRows(sql, e, content);
  });
  const span = HISTORY_END - HISTORY_START;
  const BATCH = 10_000;
  let pending: EmailRecord[] = [];
  for (let i = 0; i < bigTenantEmails; i++) {
    const at = HISTORY_START + Math.floor((i * span) / bigTenantEmails) + Math.floor(rnd() * 1000);
    pending.push(gen.email(BIG_TENANT, at, bigTenantEmails - i));
    if (rnd() < 0.1) {
      pending.push(gen.email(`small-${String(Math.floor(rnd() * smallTenants)).padStart(5, '0')}`, at + 1, bigTenantEmails - i));
      small++;
    }
    if (pending.length >= BATCH) {
      batch(pending);
      written += pending.length;
      pending = [];
      if (written % 100_000 < BATCH) log(`history data set: ${written} emails written`);
    }
  }
  batch(pending);
  written += pending.length;
  db.close();
  fs.renameSync(partial, file);
  const seconds = (Date.now() - started) / 1000;
  return { ...meta, smallTenantEmails: small, built: { seconds, emailsPerSecond: written / seconds } };
}

/** Realistic records: statuses, recipients, events and attempts in the proportions a sending platform sees. */
class EmailGenerator {
  private docSeq = 0;
  private readonly recentDocs: { type: string; id: string; number: string }[] = [];
  private idSeq = 0;

  constructor(private readonly rnd: () => number) {}

  email(tenantId: string, atMs: number, fromNewest: number): EmailRecord {
    const rnd = this.rnd;
    const at = new Date(atMs).toISOString();
    const later = (ms: number) => new Date(atMs + ms).toISOString();
    const isTest = rnd() < 0.002;
    const document = isTest ? undefined : this.document(tenantId);
    const to = [clientAddress(clientIndex(rnd()))];
    if (rnd() < 0.1) to.push(clientAddress(clientIndex(rnd())));
    const cc = rnd() < 0.2 ? [`accounts@customer${Math.floor(rnd() * 997)}.example`] : [];
    const bcc = tenantId === BIG_TENANT && atMs >= ARCHIVE_FROM ? [ARCHIVE_BCC] : [];
    const outcome = fromNewest <= 30 ? (fromNewest <= 10 ? 'queued' : 'sending') : this.outcome();
    const recipients: RecipientState[] = [
      ...[...new Set(to)].map((email) => ({ email, kind: 'to' as const })),
      ...cc.map((email) => ({ email, kind: 'cc' as const })),
      ...bcc.map((email) => ({ email, kind: 'bcc' as const })),
    ].map((r, i) => ({
      ...r,
      // A problem lands on the first recipient; the others are delivered (an email of several recipients
      // keeps a healthy status, and only the recipient filter of the status finds it).
      status: i === 0 || ['queued', 'sending', 'suppressed', 'canceled'].includes(outcome) ? outcome : healthy(outcome),
      updatedAt: later(4000),
      ...(outcome === 'bounced' && i === 0 ? { reason: '550 5.1.1 user unknown', statusCode: '5.1.1', bounceType: 'hard' as const } : {}),
    }));
    const events: EmailEvent[] = [{ type: 'queued', at, key: 'api:queued', source: 'api' }];
    if (!['queued', 'suppressed', 'canceled'].includes(outcome))
      events.push({ type: 'sending', at: later(300), key: 'worker:sending:1', source: 'worker' });
    if (!['queued', 'sending', 'suppressed', 'canceled', 'failed'].includes(outcome))
      events.push({ type: 'accepted', at: later(900), key: 'worker:accepted:1', source: 'worker' });
    if (['delivered', 'opened', 'bounced', 'complained'].includes(outcome))
      events.push({
        type: outcome === 'bounced' ? 'bounced' : 'delivered',
        at: later(4000),
        key: `sendgrid:${this.idSeq}:d`,
        source: 'sendgrid',
        recipient: to[0],
      });
    if (outcome === 'opened' || outcome === 'complained')
      events.push({ type: 'opened', at: later(3_600_000), key: `sendgrid:${this.idSeq}:o`, source: 'sendgrid', recipient: to[0] });
    const rec: EmailRecord = {
      id: this.id(atMs),
      tenantId,
      status: 'queued',
      subject: document ? `${document.type === 'invoice' ? 'Invoice' : 'Document'} ${document.number}` : 'Test email',
      ...(document ? { document } : {}),
      from: { email: `billing@${tenantId}.example`, name: tenantId },
      replyTo: `billing@${tenantId}.example`,
      to: to.map((email) => ({ email })),
      cc: cc.map((email) => ({ email })),
      bcc: bcc.map((email) => ({ email })),
      transport: { mode: 'provider', provider: 'sendgrid' },
      ...(outcome !== 'queued' ? { messageId: `<${this.idSeq}@${tenantId}.example>` } : {}),
      recipients,
      attempts: outcome === 'queued' ? [] : [{ at: later(900), ok: outcome !== 'failed', durationMs: 180 + Math.floor(rnd() * 400) }],
      events,
      opens:
        outcome === 'opened'
          ? { count: 1, firstAt: later(3_600_000), lastAt: later(3_600_000), machineCount: 0 }
          : { count: 0, machineCount: 0 },
      attachments: document
        ? [{ filename: `${document.number}.pdf`, contentType: 'application/pdf', size: 30_000 + Math.floor(rnd() * 20_000) }]
        : [],
      test: isTest,
      hasHtml: true,
      attachmentCount: document ? 1 : 0,
      createdAt: at,
      updatedAt: at,
    };
    return withSummary(rec, later(4000));
  }

  private id(atMs: number): string {
    this.idSeq++;
    const rand = Math.floor(this.rnd() * 2 ** 32)
      .toString(16)
      .padStart(8, '0');
    return `em_${atMs.toString(16).padStart(12, '0')}${rand}${(this.idSeq & 0xffffffff).toString(16).padStart(8, '0')}`;
  }

  /** A new document mostly; now and then a reminder for a recent one (the same document emailed again). */
  private document(tenantId: string) {
    const rnd = this.rnd;
    if (tenantId === BIG_TENANT && this.recentDocs.length > 0 && rnd() < 0.15)
      return this.recentDocs[Math.floor(rnd() * this.recentDocs.length)];
    let r = rnd();
    let type = DOCUMENT_TYPES[0][0];
    for (const [t, p] of DOCUMENT_TYPES) {
      if (r < p) {
        type = t;
        break;
      }
      r -= p;
    }
    const seq = ++this.docSeq;
    const doc = { type, id: `${type}_${seq}`, number: `${type.slice(0, 2).toUpperCase()}-2026-${String(seq).padStart(7, '0')}` };
    if (tenantId === BIG_TENANT) {
      this.recentDocs.push(doc);
      if (this.recentDocs.length > 2000) this.recentDocs.shift();
    }
    return doc;
  }

  private outcome(): RecipientStatus {
    const r = this.rnd();
    if (r < 0.78) return 'delivered';
    if (r < 0.9) return 'opened';
    if (r < 0.93) return 'accepted';
    if (r < 0.95) return 'bounced';
    if (r < 0.96) return 'failed';
    if (r < 0.965) return 'dropped';
    if (r < 0.967) return 'complained';
    if (r < 0.97) return 'suppressed';
    if (r < 0.972) return 'canceled';
    if (r < 0.975) return 'deferred';
    return 'delivered';
  }
}

/** What the other recipients of an email with a problem on its first one reached. */
function healthy(outcome: RecipientStatus): RecipientStatus {
  return outcome === 'deferred' || outcome === 'accepted' ? outcome : outcome === 'failed' ? 'failed' : 'delivered';
}
