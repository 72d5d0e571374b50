import type { RunningSmtpSink } from '@mailroom/testkit';
import { INVOICE_PDF, Mailroom, SETTLED, startMailroom, waitFor, waitForEmail } from './support/mailroom-harness';
import { putSmtpTenant, startTenantSink } from './support/smtp-tenant';

const LOGIN = { user: 'billing@batch.example', password: 'batch horse battery' };
const MAX_ATTACHMENT_BYTES = 64 * 1024;
const BATCH_MAX_BODY_BYTES = 400 * 1024;

/**
 * POST /v1/tenants/:tenantId/emails/batch through the API and a real worker to a STARTTLS + AUTH
 * SMTP server: good and bad items side by side, a replay that sends nothing twice, the limits.
 */
describe('batch enqueue', () => {
  let m: Mailroom;
  let sink: RunningSmtpSink;

  beforeAll(async () => {
    sink = await startTenantSink(LOGIN);
    m = await startMailroom({ MAX_ATTACHMENT_BYTES: String(MAX_ATTACHMENT_BYTES), BATCH_MAX_BODY_BYTES: String(BATCH_MAX_BODY_BYTES) });
    for (const id of ['bt-a', 'bt-b'])
      await putSmtpTenant(m, id, sink, LOGIN, { name: `Tenant ${id}`, settings: { senderName: 'Batch Billing' } });
    expect((await m.call('POST', '/v1/tenants/bt-a/suppressions', { address: 'gone@customer.example' })).status).toBe(201);
  });
  afterAll(async () => {
    await m.stop();
    await sink.close();
  });

  const invoice = (n: string, over: Record<string, unknown> = {}) => ({
    idempotencyKey: `inv-${n}`,
    to: [{ email: `client-${n}@customer.example`, name: 'Client SA' }],
    subject: `Invoice ${n}`,
    text: `Invoice ${n} attached.`,
    attachments: [{ filename: `${n}.pdf`, contentType: 'application/pdf', content: INVOICE_PDF.toString('base64') }],
    document: { type: 'invoice', id: n, number: n },
    ...over,
  });
  const batch = (tenant: string, items: unknown[], token?: string) =>
    m.call('POST', `/v1/tenants/${tenant}/emails/batch`, { items }, { token });
  const delivered = (subject: string) => sink.messages.filter((msg) => msg.parsed.subject === subject);

  it('answers 207 with one result per item in order: good items queued and sent, bad ones say what to fix; a replay sends nothing twice', async () => {
    const items = [
      invoice('B-1'),
      invoice('B-2', { subject: undefined }),
      invoice('B-3', { cc: ['gone@customer.example'] }),
      invoice('B-4', { to: ['gone@customer.example'] }),
      invoice('B-5', {
        attachments: [
          { filename: 'big.pdf', contentType: 'application/pdf', content: Buffer.alloc(MAX_ATTACHMENT_BYTES + 1).toString('base64') },
        ],
      }),
      invoice('B-6', { idempotencyKey: 'inv-B-1' }),
      'not an email',
      invoice('B-8', { idempotencyKey: undefined }),
      invoice('B-9'),
    ];
    const first = await batch('bt-a', items);
    expect(first.status).toBe(207);
    const r = first.body.results;
    expect(r.map((x: { index: number }) => x.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(r[0]).toEqual({ index: 0, id: expect.stringMatching(/^em_/), status: 'queued' });
    expect(r[1].error).toMatchObject({ code: 'invalid_request', message: 'subject: subject is required' });
    expect(r[2]).toMatchObject({ index: 2, status: 'queued', suppressed: [{ address: 'gone@customer.example', reason: 'manual' }] });
    expect(r[3]).toMatchObject({ index: 3, status: 'suppressed', suppressed: [{ address: 'gone@customer.example' }] });
    expect(r[4].error).toMatchObject({
      code: 'attachments_too_large',
      message: expect.stringContaining(`the limit is ${MAX_ATTACHMENT_BYTES} bytes`),
      details: { limitBytes: MAX_ATTACHMENT_BYTES, totalBytes: expect.any(Number) },
    });
    expect(r[4].error.details.totalBytes).toBeGreaterThan(MAX_ATTACHMENT_BYTES);
    expect(r[5].error).toMatchObject({ code: 'idempotency_key_repeated', details: { sameAsIndex: 0 } });
    expect(r[6].error).toMatchObject({ code: 'invalid_request' });
    expect(r[7].error).toMatchObject({ code: 'invalid_request', message: 'idempotencyKey: idempotencyKey is required' });
    expect(r[8]).toMatchObject({ index: 8, status: 'queued' });

    const sent = [r[0], r[2], r[8]];
    for (const x of sent) await waitForEmail(m, 'bt-a', x.id, SETTLED, 20000);
    const history = await m.call('GET', `/v1/tenants/bt-a/emails/${r[0].id}`);
    expect(history.body).toMatchObject({ status: 'accepted', subject: 'Invoice B-1', document: { id: 'B-1' }, idempotencyKey: 'inv-B-1' });
    expect(history.body).not.toHaveProperty('pendingEnqueue');
    expect((await m.call('GET', `/v1/tenants/bt-a/emails/${r[3].id}`)).body.status).toBe('suppressed');
    const [b1] = delivered('Invoice B-1');
    expect(b1.secure).toBe(true);
    expect(b1.parsed.attachments[0].content.equals(INVOICE_PDF)).toBe(true);
    expect(delivered('Invoice B-3')[0].envelope.rcptTo).toEqual(['client-b-3@customer.example']);

    // The same batch again: the same emails, marked replayed, the same errors; item 8's body changed under its key is refused.
    const changed = [...items];
    changed[8] = invoice('B-9', { subject: 'Invoice B-9, corrected' });
    const replay = await batch('bt-a', changed);
    expect(replay.status).toBe(207);
    const rr = replay.body.results;
    for (const i of [0, 2, 3]) expect(rr[i]).toMatchObject({ index: i, id: r[i].id, replayed: true });
    expect(rr[0].status).toBe('accepted');
    for (const i of [1, 4, 5, 6, 7]) expect(rr[i].error.code).toBe(r[i].error.code);
    expect(rr[8].error).toMatchObject({ code: 'idempotency_key_reused', message: expect.stringContaining(r[8].id) });

    // A new email after the replay, through the same queue: once it has arrived, nothing else came with it.
    const marker = await batch('bt-a', [invoice('B-10')]);
    await waitForEmail(m, 'bt-a', marker.body.results[0].id, SETTLED, 20000);
    await waitFor(async () => delivered('Invoice B-10').length === 1, 'the marker delivered');
    for (const subject of ['Invoice B-1', 'Invoice B-3', 'Invoice B-9', 'Invoice B-10']) expect(delivered(subject)).toHaveLength(1);
    expect(delivered('Invoice B-4')).toHaveLength(0);
    expect(delivered('Invoice B-9, corrected')).toHaveLength(0);
    const listed = await m.call('GET', '/v1/tenants/bt-a/emails?limit=200');
    expect(listed.body.items).toHaveLength(5);
  });

  it('an item replays the email its key created through the single enqueue, and the other way round', async () => {
    const { idempotencyKey, ...body } = invoice('S-1');
    const single = await m.call('POST', '/v1/tenants/bt-b/emails', body, { headers: { 'idempotency-key': idempotencyKey } });
    expect(single.status).toBe(202);
    const viaBatch = await batch('bt-b', [invoice('S-1'), invoice('S-2')]);
    expect(viaBatch.body.results[0]).toMatchObject({ id: single.body.id, replayed: true });
    const { idempotencyKey: key2, ...body2 } = invoice('S-2');
    const again = await m.call('POST', '/v1/tenants/bt-b/emails', body2, { headers: { 'idempotency-key': key2 } });
    expect(again.status).toBe(202);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body.id).toBe(viaBatch.body.results[1].id);
  });

  it(`refuses more than 500 items with 413 naming the limit, and stores nothing`, async () => {
    const items = Array.from({ length: 501 }, (_, i) => ({
      idempotencyKey: `many-${i}`,
      to: ['a@customer.example'],
      subject: 's',
      text: 't',
    }));
    const before = (await m.call('GET', '/v1/tenants/bt-b/emails?limit=200')).body.items.length;
    const r = await m.call('POST', '/v1/tenants/bt-b/emails/batch', { items });
    expect(r.status).toBe(413);
    expect(r.body.error).toMatchObject({ code: 'too_many_items', details: { limit: 500, items: 501 } });
    expect(r.body.error.message).toContain('the limit is 500');
    expect((await m.call('GET', '/v1/tenants/bt-b/emails?limit=200')).body.items).toHaveLength(before);
    const exactly = await m.call('POST', '/v1/tenants/bt-b/emails/batch', {
      items: items.slice(0, 500).map((x) => ({ ...x, to: ['gone@x.example'] })),
    });
    expect(exactly.status).toBe(207);
    expect(exactly.body.results).toHaveLength(500);
    expect(exactly.body.results.every((x: { status?: string }) => x.status === 'queued')).toBe(true);
    // Through the tenant's lane (decision 0026): at most TENANT_MAX_IN_FLIGHT jobs in the queue, the rest wait in its backlog.
    expect(await m.api.deps.lanes.admittedCount('bt-b')).toBeLessThanOrEqual(m.config.send.tenantMaxInFlight);
    expect(await m.api.deps.lanes.backlogLength('bt-b')).toBeGreaterThan(400);
  });

  it('has its own body limit (BATCH_MAX_BODY_BYTES), named in the 413; the body is read only after authentication', async () => {
    const eachBase64 = Buffer.alloc(48 * 1024).toString('base64');
    const items = Array.from({ length: 7 }, (_, i) =>
      invoice(`L-${i}`, { attachments: [{ filename: 'f.pdf', contentType: 'application/pdf', content: eachBase64 }] }),
    );
    const tooBig = await batch('bt-b', items);
    expect(tooBig.status).toBe(413);
    expect(tooBig.body.error).toMatchObject({ code: 'payload_too_large', details: { limitBytes: BATCH_MAX_BODY_BYTES } });
    expect(tooBig.body.error.message).toContain('BATCH_MAX_BODY_BYTES');
    expect((await batch('bt-b', items, 'not-a-key')).status).toBe(401);
    // The 413 above came from the batch's own limit (the single enqueue's, MAX_ATTACHMENT_BYTES * 4/3 + 1 MB, is larger); under it the batch goes in.
    const fits = await batch('bt-b', items.slice(0, 5));
    expect(fits.status).toBe(207);
    expect(fits.body.results.map((x: { status: string }) => x.status)).toEqual(['queued', 'queued', 'queued', 'queued', 'queued']);
  });

  it('bad envelopes are a 400 naming the field; an unknown tenant is a 404', async () => {
    expect((await m.call('POST', '/v1/tenants/bt-b/emails/batch', { items: [] })).body.error).toMatchObject({
      code: 'invalid_request',
      message: 'items: items needs at least one email',
    });
    expect((await m.call('POST', '/v1/tenants/bt-b/emails/batch', { items: {} })).body.error.message).toBe(
      'items: items must be an array of emails',
    );
    expect((await m.call('POST', '/v1/tenants/bt-b/emails/batch', [invoice('X')])).status).toBe(400);
    expect((await m.call('POST', '/v1/tenants/bt-b/emails/batch', { items: [invoice('X')], extra: 1 })).status).toBe(400);
    expect((await m.call('POST', '/v1/tenants/bt-none/emails/batch', { items: [invoice('X')] })).body.error.code).toBe('tenant_not_found');
  });

  it('a tenant token posts batches for its own tenant only', async () => {
    const minted = await m.call('POST', '/v1/tenants/bt-a/tokens');
    expect(minted.status).toBe(201);
    const token = minted.body.token as string;
    const other = await batch('bt-b', [invoice('T-1')], token);
    expect(other.status).toBe(403);
    const own = await batch('bt-a', [invoice('T-1')], token);
    expect(own.status).toBe(207);
    expect(own.body.results[0]).toMatchObject({ index: 0, status: 'queued' });
    const inB = await m.call('GET', '/v1/tenants/bt-b/emails?documentId=T-1');
    expect(inB.body.items).toHaveLength(0);
  });
});
