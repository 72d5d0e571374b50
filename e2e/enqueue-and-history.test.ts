import { INVOICE_PDF, Mailroom, startMailroom, waitFor } from './support/mailroom-harness';

const T = '/v1/tenants/shop';

describe('enqueue and history (no worker running: what the API promises on its own)', () => {
  let m: Mailroom;
  beforeAll(async () => {
    m = await startMailroom({ MAX_ATTACHMENT_BYTES: String(64 * 1024) }, { worker: false });
    await m.call('PUT', T, { name: 'Shop', plan: 'standard' });
    await m.call('PUT', `${T}/email-settings`, {
      mode: 'platform',
      senderName: 'Shop',
      replyTo: 'billing@shop.example',
      cc: ['books@shop.example', 'client@x.example'],
      bcc: ['archive@shop.example'],
    });
  });
  afterAll(() => m.stop());

  const invoice = (n: number, over: Record<string, unknown> = {}) => ({
    to: ['client@x.example'],
    subject: `Invoice F-${n}`,
    text: 'Please find attached.',
    html: '<p>Please find attached.</p>',
    attachments: [{ filename: `F-${n}.pdf`, contentType: 'application/pdf', content: INVOICE_PDF.toString('base64') }],
    document: { type: 'invoice', id: `inv-${n}`, number: `F-${n}` },
    ...over,
  });

  it('answers 202 with the id once the record and the job both exist, and merges default CC/BCC without duplicates', async () => {
    const r = await m.call('POST', `${T}/emails`, invoice(1));
    expect(r.status).toBe(202);
    expect(r.body).toEqual({ id: expect.stringMatching(/^em_/), status: 'queued' });
    const job = await m.api.deps.queue.getJob(r.body.id);
    expect(job?.data).toEqual({ tenantId: 'shop', emailId: r.body.id });
    const email = (await m.call('GET', `${T}/emails/${r.body.id}`)).body;
    expect(email.to).toEqual([{ email: 'client@x.example' }]);
    expect(email.cc).toEqual([{ email: 'books@shop.example' }]);
    expect(email.bcc).toEqual([{ email: 'archive@shop.example' }]);
    expect(email).toMatchObject({
      status: 'queued',
      document: { type: 'invoice', id: 'inv-1', number: 'F-1' },
      transport: { mode: 'platform' },
    });
    expect(email.recipients).toHaveLength(3);
    expect(JSON.stringify(job?.data)).not.toMatch(/client@|Invoice|PDF/);
  });

  it('Idempotency-Key: a retried request gets the same id, once, also under concurrency', async () => {
    const headers = { 'idempotency-key': 'inv-2-send-1' };
    const results = await Promise.all(Array.from({ length: 8 }, () => m.call('POST', `${T}/emails`, invoice(2), { headers })));
    // A duplicate that arrives while the first is still adding its job hears 409 "in progress" (decision 0014).
    const accepted = results.filter((r) => r.status === 202);
    expect(accepted.length).toBeGreaterThanOrEqual(1);
    for (const r of results.filter((x) => x.status !== 202))
      expect([r.status, r.body.error.code]).toEqual([409, 'idempotency_key_in_progress']);
    expect(new Set(accepted.map((r) => r.body.id)).size).toBe(1);
    const settled = await m.call('POST', `${T}/emails`, invoice(2), { headers });
    expect([settled.status, settled.body.id]).toEqual([202, accepted[0].body.id]);
    const list = await m.call('GET', `${T}/emails?documentId=inv-2`);
    expect(list.body.items).toHaveLength(1);
    const reused = await m.call('POST', `${T}/emails`, invoice(3), { headers });
    expect(reused.status).toBe(409);
    expect(reused.body.error.code).toBe('idempotency_key_reused');
  });

  it('refuses attachments over the cap with 413 and writes nothing', async () => {
    const big = Buffer.alloc(70 * 1024, 1).toString('base64');
    const r = await m.call(
      'POST',
      `${T}/emails`,
      invoice(4, { attachments: [{ filename: 'big.pdf', contentType: 'application/pdf', content: big }] }),
    );
    expect(r.status).toBe(413);
    expect(r.body.error.message).toMatch(/limit is 65536 bytes/);
    expect((await m.call('GET', `${T}/emails?documentId=inv-4`)).body.items).toHaveLength(0);
  });

  it.each([
    ['malformed JSON', '{"to": [', 400, /not valid JSON/],
    ['a body that is not an object', '[1,2]', 400, /JSON object/],
    ['no recipients', { subject: 's', text: 't', to: [] }, 400, /to: to needs at least one recipient/],
    ['a wrong type', { to: 'a@b.co', subject: 's', text: 't' }, 400, /^to:/],
    ['an invalid address', { to: ['nope'], subject: 's', text: 't' }, 400, /to\.0\.email: is not a valid email address/],
    ['CR/LF in the subject', { to: ['a@b.co'], subject: 'Hi\r\nBcc: x@y.z', text: 't' }, 400, /subject must not contain line breaks/],
    ['CR/LF in a name', { to: [{ email: 'a@b.co', name: 'A\nB' }], subject: 's', text: 't' }, 400, /to\.0\.name/],
    ['no body', { to: ['a@b.co'], subject: 's' }, 400, /text or html is required/],
    ['an empty text alone', { to: ['a@b.co'], subject: 's', text: '' }, 400, /^text: text or html is required, and must not be empty/],
    ['no subject', { to: ['a@b.co'], text: 't' }, 400, /^subject: subject is required$/],
    [
      'a document without its type',
      { to: ['a@b.co'], subject: 's', text: 't', document: { id: 'inv_1' } },
      400,
      /^document\.type: is required$/,
    ],
    ['an unknown field', { to: ['a@b.co'], subject: 's', text: 't', priority: 'high' }, 400, /priority/],
    ['bad base64', { to: ['a@b.co'], subject: 's', text: 't', attachments: [{ filename: 'a.pdf', content: '***' }] }, 400, /base64/],
  ])('answers %s with a clear 4xx naming the field, writing nothing', async (_what, body, status, message) => {
    const before = (await m.call('GET', `${T}/emails?limit=200`)).body.items.length;
    const r = await m.call('POST', `${T}/emails`, body);
    expect(r.status).toBe(status);
    expect(r.body.error.message).toMatch(message);
    expect((await m.call('GET', `${T}/emails?limit=200`)).body.items.length).toBe(before);
  });

  it('answers an oversize body with 413 and an unknown tenant with 404', async () => {
    const huge = { to: ['a@b.co'], subject: 's', text: 'x'.repeat(1536 * 1024) };
    const tooBig = await m.call('POST', `${T}/emails`, huge);
    expect(tooBig.status).toBe(413);
    expect(tooBig.body.error).toMatchObject({
      code: 'payload_too_large',
      message: expect.stringMatching(/MAX_ATTACHMENT_BYTES.*send smaller or fewer attachments/),
      details: { limitBytes: expect.any(Number) },
    });
    const r = await m.call('POST', '/v1/tenants/ghost/emails', invoice(9));
    expect(r.status).toBe(404);
  });

  it('lists newest first with filters and a cursor that neither skips nor repeats while emails arrive', async () => {
    await m.call('PUT', '/v1/tenants/pager', { name: 'Pager', plan: 'free' });
    await m.call('PUT', '/v1/tenants/pager/email-settings', { mode: 'platform', senderName: 'Pager', replyTo: 'p@pager.example' });
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) {
      const type = i % 3 === 0 ? 'quote' : 'invoice';
      ids.push(
        (
          await m.call('POST', '/v1/tenants/pager/emails', {
            to: [`c${i % 2}@x.example`],
            subject: `d${i}`,
            text: 't',
            document: { type, id: `d-${i}` },
          })
        ).body.id,
      );
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    let page = 0;
    do {
      const r: any = await m.call('GET', `/v1/tenants/pager/emails?limit=5${cursor ? `&cursor=${cursor}` : ''}`);
      expect(r.status).toBe(200);
      seen.push(...r.body.items.map((e: any) => e.id));
      cursor = r.body.nextCursor;
      if (page++ === 0) await m.call('POST', '/v1/tenants/pager/emails', { to: ['late@x.example'], subject: 'late', text: 't' });
    } while (cursor);
    expect(seen).toEqual([...ids].reverse());
    const quotes = await m.call('GET', '/v1/tenants/pager/emails?documentType=quote');
    expect(quotes.body.items.map((e: any) => e.document.id)).toEqual(['d-9', 'd-6', 'd-3', 'd-0']);
    const byRecipient = await m.call('GET', '/v1/tenants/pager/emails?recipient=C1@x.example');
    expect(byRecipient.body.items).toHaveLength(6);
    const queued = await m.call('GET', '/v1/tenants/pager/emails?status=queued&limit=100');
    expect(queued.body.items).toHaveLength(13);
    const future = await m.call('GET', `/v1/tenants/pager/emails?since=${encodeURIComponent(new Date(Date.now() + 60000).toISOString())}`);
    expect(future.body.items).toHaveLength(0);
    expect((await m.call('GET', '/v1/tenants/pager/emails?cursor=garbage')).status).toBe(400);
    expect((await m.call('GET', '/v1/tenants/pager/emails?status=lost')).status).toBe(400);
    expect((await m.call('GET', '/v1/tenants/shop/emails?documentId=d-1')).body.items).toHaveLength(0);
  });
});

describe('when Redis is unreachable', () => {
  it('answers 503 quickly and leaves no record behind', async () => {
    const m = await startMailroom({ ENQUEUE_TIMEOUT_MS: '300' }, { worker: false });
    try {
      await m.call('PUT', '/v1/tenants/nq', { name: 'NQ', plan: 'free' });
      await m.call('PUT', '/v1/tenants/nq/email-settings', { mode: 'platform', senderName: 'NQ', replyTo: 'n@nq.example' });
      m.api.deps.redis.disconnect();
      const started = Date.now();
      const r = await m.call('POST', '/v1/tenants/nq/emails', { to: ['a@b.example'], subject: 's', text: 't' });
      expect(r.status).toBe(503);
      expect(r.body.error.message).toMatch(/nothing was stored, retry/);
      expect(Date.now() - started).toBeLessThan(3000);
      expect((await m.call('GET', '/v1/tenants/nq/emails')).body.items).toHaveLength(0);
      // The request-path connection refuses at once, possibly before it has finished closing.
      await waitFor(async () => m.api.deps.redis.status === 'end', 'the connection to close', 5000);
      await m.api.deps.redis.connect();
    } finally {
      await m.stop();
    }
  });
});
