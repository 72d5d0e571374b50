import { randomUUID } from 'node:crypto';
import { MongoClient } from 'mongodb';
import type { RecipientStatus } from '@mailroom/domain';
import { at, makeContent, makeEmail, uniqueTenantId } from '../../test/contract/contract-fixtures';
import { HistoryFilter } from '../history-filter';
import { EmailDoc } from './mongo-documents';
import { historyCursor } from './mongo-history-filter';
import { MongoStore } from './mongo-store';

/**
 * Issue 9's history filters, explained by a real MongoDB on the indexes of mongo-indexes.ts: every
 * filter is answered by an index scan whose keys give the history's order (no COLLSCAN, no blocking
 * SORT stage), and a filter on one field by that field's index. The query is the store's own
 * (`historyCursor`). Runs only where MONGODB_URL reaches a server; never mocked.
 */
const url = process.env.MONGODB_URL;
const run = url ? describe : describe.skip;

interface PlanStage {
  stage: string;
  indexName?: string;
  keyPattern?: Record<string, number>;
  inputStage?: PlanStage;
  inputStages?: PlanStage[];
  queryPlan?: PlanStage;
}

function stagesOf(plan: PlanStage): PlanStage[] {
  const root = plan.queryPlan ?? plan;
  return [root, ...[root.inputStage, ...(root.inputStages ?? [])].filter((s): s is PlanStage => !!s).flatMap(stagesOf)];
}

const STATUSES: RecipientStatus[] = ['queued', 'accepted', 'delivered', 'opened', 'bounced', 'failed'];

run('the history queries on MongoDB (explain)', () => {
  const dbName = `mailroom_explain_test_${Date.now().toString(36)}_${randomUUID().slice(0, 8)}`;
  const tenantId = uniqueTenantId('explain');
  const other = uniqueTenantId('other');
  let store: MongoStore;
  let client: MongoClient;

  beforeAll(async () => {
    store = new MongoStore({ url: url!, dbName });
    await store.init();
    client = new MongoClient(url!);
    await client.connect();
    // 400 emails of the tenant and 100 of another: mostly invoices, few of each document, statuses and
    // clients spread, one in ten a test email, one a minute; enough that a scan of the wrong index loses the planner's trial.
    for (const [t, count] of [
      [tenantId, 400],
      [other, 100],
    ] as const)
      for (let i = 0; i < count; i++) {
        const status = STATUSES[i % STATUSES.length];
        const email = makeEmail(t, `${t}-em${String(i).padStart(4, '0')}`, {
          status,
          createdAt: at(i * 60),
          document: { type: i % 10 === 0 ? 'quote' : 'invoice', id: `doc-${i % 150}` },
          to: [{ email: `client${i % 40}@example.com` }],
          bcc: i % 2 === 0 ? [{ email: 'archive@acme.test' }] : [],
          test: i % 10 === 3,
        });
        await store.emails.create({ email, content: makeContent() });
      }
  }, 120_000);

  afterAll(async () => {
    await store.close();
    await client.db(dbName).dropDatabase();
    await client.close();
  });

  const explain = async (over: Partial<HistoryFilter>) => {
    const emails = client.db(dbName).collection<EmailDoc>('emails');
    const result = (await historyCursor(emails, { tenantId, limit: 50, ...over }).explain('queryPlanner')) as {
      queryPlanner: { winningPlan: PlanStage };
    };
    return stagesOf(result.queryPlanner.winningPlan);
  };

  const cases: { name: string; filter: Partial<HistoryFilter>; indexes: string[] }[] = [
    { name: 'unfiltered', filter: {}, indexes: ['tenant_history'] },
    { name: 'documentId', filter: { documentId: 'doc-7' }, indexes: ['tenant_document_id'] },
    { name: 'documentType (rare)', filter: { documentType: 'quote' }, indexes: ['tenant_document_type'] },
    { name: 'status (the email or a recipient)', filter: { status: 'bounced' }, indexes: ['tenant_status', 'tenant_recipient_status'] },
    { name: 'recipient', filter: { recipient: 'client7@example.com' }, indexes: ['tenant_recipient_address'] },
    { name: 'time range', filter: { since: at(60 * 100), until: at(60 * 110) }, indexes: ['tenant_history'] },
    { name: 'test emails', filter: { test: true }, indexes: ['tenant_test'] },
    { name: 'a page deep (cursor)', filter: { after: { createdAt: at(60 * 200), id: `${tenantId}-em0200` } }, indexes: ['tenant_history'] },
    {
      name: 'documentId + documentType',
      filter: { documentId: 'doc-7', documentType: 'invoice' },
      indexes: ['tenant_document_id', 'tenant_document_type'],
    },
    {
      name: 'recipient + status',
      filter: { recipient: 'client7@example.com', status: 'queued' },
      indexes: ['tenant_recipient_address', 'tenant_status', 'tenant_recipient_status'],
    },
  ];

  it.each(cases)('$name: an index scan in history order, on the expected index', async ({ filter, indexes }) => {
    const stages = await explain(filter);
    const names = stages.map((s) => s.stage);
    expect(names).not.toContain('COLLSCAN');
    // The order comes from the index (SORT_MERGE merges ordered scans); a blocking SORT would read every match first.
    expect(names).not.toContain('SORT');
    const scans = stages.filter((s) => s.stage === 'IXSCAN');
    expect(scans.length).toBeGreaterThan(0);
    for (const scan of scans) {
      expect(indexes).toContain(scan.indexName);
      const keys = Object.keys(scan.keyPattern ?? {});
      expect(keys[0]).toBe('tenantId');
      expect(keys.slice(-2)).toEqual(['createdAt', '_id']);
    }
  });

  it('the planned query answers the same page the store lists', async () => {
    const page = await store.emails.list(tenantId, { documentType: 'quote', limit: 5 });
    expect(page.items.map((e) => e.id)).toEqual([
      `${tenantId}-em0390`,
      `${tenantId}-em0380`,
      `${tenantId}-em0370`,
      `${tenantId}-em0360`,
      `${tenantId}-em0350`,
    ]);
  });
});
