import type { Filter, IndexDescription } from 'mongodb';
import { HistoryFilter } from '../history-filter';
import { makeEmail } from '../../test/contract/contract-fixtures';
import { EmailDoc, emailBody, emailFromDoc, recipientAddressesOf } from './mongo-documents';
import { HISTORY_SORT, historyMongoFilter } from './mongo-history-filter';
import { EMAIL_INDEXES, RETIRED_EMAIL_INDEXES, SUPPRESSION_INDEXES } from './mongo-indexes';
import { awaitingSendFilter, contentToPurgeFilter, idempotencyKeyFilter } from './mongo-email-store';
import { expiredFilter } from './mongo-suppression-store';
import { RECIPIENT_ADDRESSES_BACKFILL } from './backfill-recipient-addresses';
import { SEND_DUE_AT_MISSING, sendDueAtBackfill } from './backfill-send-due-at';

/**
 * The Mongo adapter's documents, filters and indexes as plain values: no server here (the contract and
 * explain suites need MONGODB_URL), so these check the shapes the driver is handed, not what a server
 * answers.
 */

/** The fields a filter clause reads, per branch of an `$or` (each branch must be served by an index). */
function branchFields(clause: Filter<EmailDoc>): string[][] {
  const or = (clause as { $or?: Filter<EmailDoc>[] }).$or;
  if (or) return or.map((branch) => Object.keys(branch));
  return [Object.keys(clause)];
}

const indexKeys = (name: string | undefined) => Object.keys(EMAIL_INDEXES.find((i) => i.name === name)!.key);
const historyIndexFor = (field: string) =>
  EMAIL_INDEXES.find((i) => {
    const keys = Object.keys(i.key);
    return keys.length === 4 && keys[0] === 'tenantId' && keys[1] === field && i.partialFilterExpression === undefined;
  });

describe('the Mongo email document', () => {
  it('carries every recipient address lower-cased, once, and never returns it', () => {
    const email = makeEmail('t1', 't1-e1', {
      to: [{ email: 'Moved@Example.com' }],
      cc: [{ email: 'moved@example.com' }],
      bcc: [{ email: 'ARCHIVE@acme.test' }],
    });
    const body = emailBody(email);
    expect(body.recipientAddresses).toEqual(['moved@example.com', 'archive@acme.test']);
    expect(recipientAddressesOf(email)).toEqual(body.recipientAddresses);
    // The record itself keeps each address as it was given.
    expect(body.recipients.map((r) => r.email)).toEqual(['Moved@Example.com', 'moved@example.com', 'ARCHIVE@acme.test']);
    const read = emailFromDoc({ ...body, _id: email.id, rev: 3 });
    expect(read).toEqual(email);
    expect(read).not.toHaveProperty('recipientAddresses');
    expect(read).not.toHaveProperty('sendDueAt');
  });

  it('keeps the mark of an attempt in flight, and has none once the record has none', () => {
    const inFlight = makeEmail('t1', 't1-e2', { status: 'deferred', attemptInFlightSince: '2024-03-01T10:01:00.000Z' });
    expect(emailBody(inFlight).attemptInFlightSince).toBe('2024-03-01T10:01:00.000Z');
    expect(emailFromDoc({ ...emailBody(inFlight), _id: inFlight.id, rev: 2 })).toEqual(inFlight);
    const { attemptInFlightSince: _recorded, ...settled } = inFlight;
    expect(emailBody(settled)).not.toHaveProperty('attemptInFlightSince');
  });

  it('the backfill derives recipientAddresses in the server as emailBody does, and bumps rev', () => {
    expect(RECIPIENT_ADDRESSES_BACKFILL).toEqual([
      {
        $set: {
          recipientAddresses: {
            $setUnion: [{ $map: { input: { $ifNull: ['$recipients', []] }, as: 'r', in: { $toLower: '$$r.email' } } }, []],
          },
          rev: { $add: ['$rev', 1] },
        },
      },
    ]);
  });
});

describe('the Mongo history filter and its indexes', () => {
  const base: HistoryFilter = { tenantId: 't1', limit: 50 };

  it('matches a recipient on the lower-cased addresses', () => {
    expect(historyMongoFilter({ ...base, recipient: 'moved@example.com' })).toEqual({
      $and: [{ tenantId: 't1' }, { recipientAddresses: 'moved@example.com' }],
    });
  });

  it.each<[string, Partial<HistoryFilter>]>([
    ['documentId', { documentId: 'inv-1' }],
    ['documentType', { documentType: 'invoice' }],
    ['status', { status: 'bounced' }],
    ['recipient', { recipient: 'a@example.com' }],
    ['test', { test: true }],
  ])('%s: every branch of its clause has a {tenantId, field, createdAt:-1, _id:-1} index', (_name, over) => {
    const { $and } = historyMongoFilter({ ...base, ...over }) as { $and: Filter<EmailDoc>[] };
    expect($and).toHaveLength(2);
    for (const fields of branchFields($and[1])) {
      expect(fields).toHaveLength(1);
      const index = historyIndexFor(fields[0]);
      expect(index).toBeDefined();
      expect(index!.key).toEqual({ tenantId: 1, [fields[0]]: 1, ...HISTORY_SORT });
    }
  });

  it('the time range and the cursor read only the history order, which tenant_history serves', () => {
    const { $and } = historyMongoFilter({
      ...base,
      since: '2024-01-01T00:00:00.000Z',
      until: '2024-02-01T00:00:00.000Z',
      after: { createdAt: '2024-01-15T00:00:00.000Z', id: 'e9' },
    }) as { $and: Filter<EmailDoc>[] };
    const fields = new Set($and.slice(1).flatMap((c) => branchFields(c).flat()));
    expect([...fields].sort()).toEqual(['_id', 'createdAt']);
    expect(indexKeys('tenant_history')).toEqual(['tenantId', 'createdAt', '_id']);
  });

  it('init drops the index of recipients.email, which no query reads any more', () => {
    expect(RETIRED_EMAIL_INDEXES).toContain('tenant_recipient_email');
    expect(EMAIL_INDEXES.map((i) => i.name)).not.toContain('tenant_recipient_email');
    expect(EMAIL_INDEXES.some((i) => 'recipients.email' in i.key)).toBe(false);
  });
});

describe('the queries meant for a partial index name its filter', () => {
  // The planner uses a partial index only when it can prove the query a subset of the index's
  // partialFilterExpression; it does not infer `$type` from a comparison, so each query states it.
  const partial = (indexes: IndexDescription[], name: string) => indexes.find((i) => i.name === name)!.partialFilterExpression!;

  it.each<[string, IndexDescription[], Record<string, unknown>]>([
    ['tenant_idempotency_key', EMAIL_INDEXES, idempotencyKeyFilter('t1', 'order-77')],
    ['send_due', EMAIL_INDEXES, awaitingSendFilter('2024-01-01T00:00:00.000Z')],
    ['content_to_purge', EMAIL_INDEXES, contentToPurgeFilter('2024-01-01T00:00:00.000Z')],
    ['expiring', SUPPRESSION_INDEXES, expiredFilter('2024-01-01T00:00:00.000Z')],
  ])('%s', (name, indexes, filter) => {
    for (const [field, condition] of Object.entries(partial(indexes, name))) expect(filter[field]).toMatchObject(condition as object);
  });

  it('each keeps its comparison', () => {
    expect(idempotencyKeyFilter('t1', 'order-77')).toEqual({ tenantId: 't1', idempotencyKey: { $type: 'string', $eq: 'order-77' } });
    expect(awaitingSendFilter('2024-01-01T00:00:00.000Z')).toEqual({ sendDueAt: { $type: 'string', $lt: '2024-01-01T00:00:00.000Z' } });
    expect(contentToPurgeFilter('2024-01-01T00:00:00.000Z')).toEqual({
      contentPurgedAt: { $exists: false },
      finalAt: { $type: 'string', $lte: '2024-01-01T00:00:00.000Z' },
    });
    expect(expiredFilter('2024-01-01T00:00:00.000Z')).toEqual({ expiresAt: { $type: 'string', $lte: '2024-01-01T00:00:00.000Z' } });
  });
});

describe('the sendDueAt backfill', () => {
  const doc = (over: Parameters<typeof makeEmail>[2]): EmailDoc => {
    const email = makeEmail('t1', 't1-e1', { updatedAt: '2024-03-01T10:05:00.000Z', ...over });
    const { sendDueAt: _due, ...body } = emailBody(email);
    return { ...body, _id: email.id, rev: 4 };
  };

  it('gives a queued email its due time, on the revision read and only while it has none', () => {
    expect(sendDueAtBackfill(doc({}))).toEqual({
      filter: { _id: 't1-e1', rev: 4, sendDueAt: { $exists: false } },
      update: { $set: { sendDueAt: '2024-03-01T10:05:00.000Z' } },
    });
  });

  it('a retry: its next attempt; a provider deferral or a final email: nothing', () => {
    const recipient = (status: 'deferred' | 'accepted', nextAttemptAt?: string) => [
      {
        email: 'buyer@example.com',
        kind: 'to' as const,
        status,
        ...(nextAttemptAt ? { nextAttemptAt } : {}),
        updatedAt: '2024-03-01T10:05:00.000Z',
      },
    ];
    const retry = doc({
      status: 'deferred',
      nextAttemptAt: '2024-03-01T11:00:00.000Z',
      recipients: recipient('deferred', '2024-03-01T11:00:00.000Z'),
    });
    expect(sendDueAtBackfill(retry)?.update).toEqual({ $set: { sendDueAt: '2024-03-01T11:00:00.000Z' } });
    expect(sendDueAtBackfill(doc({ status: 'deferred', messageId: '<m@acme.test>', recipients: recipient('deferred') }))).toBeNull();
    expect(sendDueAtBackfill(doc({ status: 'accepted', recipients: recipient('accepted') }))).toBeNull();
  });

  it('reads the emails any of whose recipients may wait, without the field', () => {
    expect(SEND_DUE_AT_MISSING).toEqual({ sendDueAt: { $exists: false }, 'recipients.status': { $in: ['queued', 'sending', 'deferred'] } });
  });
});
