import type Database from 'better-sqlite3';
import type { HistoryQuery } from '@mailroom/domain';
import { encodeHistoryCursor } from '../../packages/store/src/history-cursor';
import { seededRandom } from '../support/measure';
import { ARCHIVE_BCC, ARCHIVE_FROM, BIG_TENANT, clientAddress, clientIndex, HISTORY_END, HISTORY_START } from './history-dataset';

/** One filter as the API and the admin UI ask it: `next()` gives the query for one run (parameters vary between runs). */
export interface HistoryFilterCase {
  name: string;
  next(): { tenantId: string; query: Partial<HistoryQuery> };
}

const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();

/**
 * The filters of the API (documentId, documentType, status, recipient, since/until, cursor) alone and
 * in the combinations the admin UI sends (a document's emails; status, recipient or type within a
 * period; the next page of a filtered list), on the large tenant, plus a small tenant's. Parameters
 * are drawn from what is in the data set (documents, positions, clients) with a fixed seed; the rare
 * and the common value of each filter are both asked, and values that match nothing.
 */
export function historyFilterCases(db: Database.Database): HistoryFilterCase[] {
  const rnd = seededRandom(7);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)];
  const maxRowid = (db.prepare('SELECT max(rowid) AS n FROM emails').get() as { n: number }).n;
  const sample = (where: string, n: number, ...params: unknown[]) => {
    const stmt =
      db.prepare(`SELECT created_at AS createdAt, id, document_id AS documentId, document_type AS documentType, tenant_id AS tenantId
      FROM emails WHERE rowid >= ? AND ${where} LIMIT 1`);
    const out: { createdAt: string; id: string; documentId: string; documentType: string; tenantId: string }[] = [];
    for (let tries = 0; out.length < n && tries < n * 50; tries++) {
      const row = stmt.get(1 + Math.floor(rnd() * maxRowid), ...params) as (typeof out)[number] | undefined;
      if (row) out.push(row);
    }
    if (out.length === 0) throw new Error(`the data set has no email where ${where}`);
    return out;
  };
  const documents = sample('tenant_id = ? AND document_id IS NOT NULL', 200, BIG_TENANT);
  const span = HISTORY_END - HISTORY_START;
  // A page deep in the history: a position between half-way and the oldest end (a cursor is a position,
  // any (createdAt, id) will do). The archive BCC is on the second half only: its deep pages start in
  // the first months of that half.
  const position = (from: number, to: number) => ({ createdAt: iso(from + Math.floor(rnd() * (to - from))), id: 'em_' });
  const cursor = () => encodeHistoryCursor(position(HISTORY_START, HISTORY_START + span / 2));
  const archiveCursor = () => encodeHistoryCursor(position(ARCHIVE_FROM, ARCHIVE_FROM + span / 8));
  const day = () => {
    const start = HISTORY_START + Math.floor(rnd() * 364) * DAY;
    return { since: iso(start), until: iso(start + DAY) };
  };
  const month = () => {
    const start = HISTORY_START + Math.floor(rnd() * 11) * 30 * DAY;
    return { since: iso(start), until: iso(start + 30 * DAY) };
  };
  const anyClient = () => clientAddress(clientIndex(rnd()));
  const smallTenants = [...new Set(sample('tenant_id <> ?', 100, BIG_TENANT).map((r) => r.tenantId))];
  const big = (name: string, next: () => Partial<HistoryQuery>): HistoryFilterCase => ({
    name,
    next: () => ({ tenantId: BIG_TENANT, query: next() }),
  });
  return [
    big('documentId + documentType (a document\u2019s emails, limit 50)', () => {
      const d = pick(documents);
      return { documentId: d.documentId, documentType: d.documentType, limit: 50 };
    }),
    big('documentId', () => ({ documentId: pick(documents).documentId })),
    big('documentId that matches nothing', () => ({ documentId: `invoice_none_${Math.floor(rnd() * 1e6)}` })),
    big('documentType=invoice (70 %)', () => ({ documentType: 'invoice' })),
    big('documentType=credit_note (2 %)', () => ({ documentType: 'credit_note' })),
    big('status=delivered (common)', () => ({ status: 'delivered' })),
    big('status=bounced (email or a recipient)', () => ({ status: 'bounced' })),
    big('status=complained (rare)', () => ({ status: 'complained' })),
    big('status=queued (only the newest)', () => ({ status: 'queued' })),
    big('status=canceled (rare)', () => ({ status: 'canceled' })),
    big('recipient, any client (skewed)', () => ({ recipient: anyClient() })),
    big('recipient, the busiest client', () => ({ recipient: clientAddress(0) })),
    big('recipient, the archive BCC (half the emails)', () => ({ recipient: ARCHIVE_BCC })),
    big('recipient that matches nothing', () => ({ recipient: `nobody${Math.floor(rnd() * 1e6)}@nowhere.example` })),
    big('since/until, one day', day),
    big('since/until, 30 days', month),
    big('cursor, a page deep in the history', () => ({ cursor: cursor() })),
    big('status=bounced + 30 days', () => ({ status: 'bounced', ...month() })),
    big('status=failed + one day', () => ({ status: 'failed', ...day() })),
    big('documentType=quote + status=opened', () => ({ documentType: 'quote', status: 'opened' })),
    big('documentType=credit_note + 30 days', () => ({ documentType: 'credit_note', ...month() })),
    big('recipient + status=delivered', () => ({ recipient: anyClient(), status: 'delivered' })),
    big('recipient + 30 days', () => ({ recipient: anyClient(), ...month() })),
    big('status=bounced, a page deep (cursor)', () => ({ status: 'bounced', cursor: cursor() })),
    big('documentType=invoice, a page deep (cursor)', () => ({ documentType: 'invoice', cursor: cursor() })),
    big('recipient (archive BCC), a page deep (cursor)', () => ({ recipient: ARCHIVE_BCC, cursor: archiveCursor() })),
    { name: 'a small tenant, unfiltered', next: () => ({ tenantId: pick(smallTenants), query: {} }) },
    { name: 'a small tenant, status=bounced', next: () => ({ tenantId: pick(smallTenants), query: { status: 'bounced' } }) },
  ];
}
