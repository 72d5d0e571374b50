import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createStore } from '@mailroom/store';
import type { EmailRecord, HistoryQuery } from '@mailroom/domain';

/**
 * History queries on a grown history: each filter against the unfiltered newest-first page (the
 * baseline: one index range scan), both on the same SQLite file in the same run.
 */
export async function historyQueries(total = Number(process.env.BENCH_HISTORY ?? 20000)) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mailroom-bench-'));
  const store = createStore(`sqlite:${path.join(dir, 'bench.db')}`);
  await store.init();
  const t0 = Date.parse('2026-01-01T00:00:00Z');
  for (let i = 0; i < total; i++) {
    const at = new Date(t0 + i * 1000).toISOString();
    const to = `client${i % 500}@x.example`;
    const status = i % 50 === 0 ? 'bounced' : 'delivered';
    const email: EmailRecord = {
      id: `em_${String(i).padStart(8, '0')}`,
      tenantId: `t${i % 5}`,
      status,
      subject: `Invoice ${i}`,
      document: { type: i % 3 ? 'invoice' : 'quote', id: `doc-${i}` },
      to: [{ email: to }],
      cc: [],
      bcc: [],
      transport: { mode: 'platform' },
      recipients: [{ email: to, kind: 'to', status, updatedAt: at }],
      attempts: [],
      events: [],
      opens: { count: 0, machineCount: 0 },
      test: false,
      hasHtml: false,
      attachmentCount: 0,
      createdAt: at,
      updatedAt: at,
    };
    await store.emails.create({ email, content: { text: 'x', attachments: [] } });
  }
  const time = async (q: Partial<HistoryQuery>) => {
    const runs = 200;
    const start = process.hrtime.bigint();
    for (let i = 0; i < runs; i++) await store.emails.list('t1', { limit: 50, ...q } as HistoryQuery);
    return Number(process.hrtime.bigint() - start) / 1e6 / runs;
  };
  const baseline = await time({});
  const rows = [
    { name: `history (${total} emails): by recipient`, ms: await time({ recipient: 'client6@x.example' }) },
    { name: `history (${total} emails): status=bounced`, ms: await time({ status: 'bounced' }) },
    { name: `history (${total} emails): by document id`, ms: await time({ documentId: 'doc-4001' }) },
    { name: `history (${total} emails): documentType=quote`, ms: await time({ documentType: 'quote' }) },
  ];
  await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
  return rows.map((r) => ({ name: r.name, baseline, mailroom: r.ms }));
}
