import { MailgunEmulator, mailgunEvents, RunningSmtpSink, startMailgunEmulator } from '@mailroom/testkit';
import { newSuppression } from '@mailroom/domain';
import { Mailroom, SETTLED, startMailroom, waitFor, waitForEmail } from './support/mailroom-harness';
import { tenantOnSmtpSink } from './support/smtp-tenant';

const MG_KEY = 'key-supsend-00000000000000000001';

/**
 * The suppression list on the send path, black-box: a hard bounce (Mailgun's webhook) or a mailbox
 * refused by an SMTP server puts the address on the tenant's list; the next email to it contacts no
 * server and says why; after DELETE it is sent again; another tenant's mail to the same address goes.
 */
describe('suppressions on the send path', () => {
  let m: Mailroom;
  let mg: MailgunEmulator;
  let sink: RunningSmtpSink;

  beforeAll(async () => {
    mg = await startMailgunEmulator({ region: 'eu', keys: [MG_KEY], domains: ['mg.sup.example'] });
    m = await startMailroom({ MAILGUN_API_URL_EU: mg.url, SUPPRESSION_BOUNCE_DAYS: '20' });
    for (const t of ['sp-mg', 'sp-other']) {
      await m.call('PUT', `/v1/tenants/${t}`, { name: t, plan: 'free' });
      await m.call('PUT', `/v1/tenants/${t}/email-settings`, {
        mode: 'provider',
        senderName: t,
        provider: { name: 'mailgun', fromAddress: 'billing@mg.sup.example', privateApiKey: MG_KEY, region: 'eu' },
      });
    }
    sink = await tenantOnSmtpSink(m, 'sp-smtp');
  });
  afterAll(async () => {
    await m.stop();
    await mg.close();
    await sink.close();
  });

  const send = (tenant: string, to: string[], subject: string) =>
    m.call('POST', `/v1/tenants/${tenant}/emails`, { to, subject, text: 'Attached.', document: { type: 'invoice', id: subject } });
  /** What the Mailgun account received for an email: its `to` fields. */
  const mailgunRecipients = (id: string) =>
    mg.sent
      .filter((s) => s.fields.some(([k, v]) => k === 'v:mailroom_email_id' && v === id))
      .flatMap((s) => s.fields.filter(([k]) => k === 'to').map(([, v]) => v));
  const list = async (tenant: string, address: string) =>
    (await m.call('GET', `/v1/tenants/${tenant}/suppressions?address=${encodeURIComponent(address)}`)).body.items;

  it('a hard bounce suppresses the address; the next email to it is not sent and says why; after DELETE it is sent', async () => {
    const first = (await send('sp-mg', ['client@customer.example'], 'B-1')).body.id;
    await waitForEmail(m, 'sp-mg', first, (e) => e.status === 'accepted');
    const msg = mg.sent.find((s) => s.fields.some(([k, v]) => k === 'v:mailroom_email_id' && v === first))!;
    const bounce = await mg.postEvent(`${m.webhooks.url}/webhooks/mailgun/sp-mg`, mailgunEvents.failedPermanent(mg.targetsOf(msg)[0]));
    expect(bounce.status).toBe(200);
    await waitForEmail(m, 'sp-mg', first, (e) => e.status === 'bounced');

    const [entry] = await waitFor(async () => {
      const items = await list('sp-mg', 'client@customer.example');
      return items.length > 0 && items;
    }, 'the suppression entry');
    expect(entry).toMatchObject({
      tenantId: 'sp-mg',
      address: 'client@customer.example',
      reason: 'hard_bounce',
      sourceEmailId: first,
      detail: expect.stringContaining('5.1.1'),
    });
    expect(Date.parse(entry.expiresAt) - Date.parse(entry.createdAt)).toBe(20 * 24 * 3600 * 1000);

    // Only the suppressed recipient: nothing is sent, and the answer and the history say why.
    const sentBefore = mg.sent.length;
    const blocked = await send('sp-mg', ['Client@Customer.example'], 'B-2');
    expect(blocked.status).toBe(202);
    expect(blocked.body).toEqual({
      id: expect.any(String),
      status: 'suppressed',
      suppressed: [{ address: 'client@customer.example', reason: 'hard_bounce', since: entry.createdAt }],
    });
    const record = (await m.call('GET', `/v1/tenants/sp-mg/emails/${blocked.body.id}`)).body;
    expect(record).toMatchObject({
      status: 'suppressed',
      recipients: [
        { status: 'suppressed', suppression: { reason: 'hard_bounce' }, reason: expect.stringMatching(/suppression list.*bounced/) },
      ],
      events: expect.arrayContaining([expect.objectContaining({ type: 'suppressed', source: 'api' })]),
    });
    expect(await m.api.deps.queue.getJob(blocked.body.id)).toBeUndefined();

    // With another recipient: that one goes, alone.
    const mixed = await send('sp-mg', ['client@customer.example', 'other@customer.example'], 'B-3');
    expect(mixed.body).toMatchObject({ status: 'queued', suppressed: [{ address: 'client@customer.example', reason: 'hard_bounce' }] });
    const mixedSent = await waitForEmail(m, 'sp-mg', mixed.body.id, (e) => e.status === 'accepted');
    expect(mixedSent.recipients.map((r: { status: string }) => r.status)).toEqual(['suppressed', 'accepted']);
    expect(mailgunRecipients(mixed.body.id).join(',')).not.toContain('client@');
    expect(mailgunRecipients(mixed.body.id).join(',')).toContain('other@customer.example');
    await new Promise((r) => setTimeout(r, 300));
    expect(mg.sent.length).toBe(sentBefore + 1);

    expect((await m.call('DELETE', '/v1/tenants/sp-mg/suppressions/client@customer.example')).status).toBe(204);
    const again = await send('sp-mg', ['client@customer.example'], 'B-4');
    expect(again.body).toEqual({ id: expect.any(String), status: 'queued' });
    await waitForEmail(m, 'sp-mg', again.body.id, (e) => e.status === 'accepted');
    expect(mailgunRecipients(again.body.id).join(',')).toContain('client@customer.example');
  });

  it("one tenant's suppression does not affect another tenant sending to the same address", async () => {
    expect((await m.call('POST', '/v1/tenants/sp-mg/suppressions', { address: 'shared@customer.example' })).status).toBe(201);
    const blocked = await send('sp-mg', ['shared@customer.example'], 'T-1');
    expect(blocked.body.status).toBe('suppressed');
    const other = await send('sp-other', ['shared@customer.example'], 'T-2');
    expect(other.body).toEqual({ id: expect.any(String), status: 'queued' });
    await waitForEmail(m, 'sp-other', other.body.id, (e) => e.status === 'accepted');
    expect(mailgunRecipients(other.body.id).join(',')).toContain('shared@customer.example');
    expect(await list('sp-other', 'shared@customer.example')).toEqual([]);
  });

  it('an SMTP server refusing one mailbox (5.1.1) suppresses it; a policy refusal (5.7.1) does not; the others are delivered', async () => {
    sink.behaviour.rejectRecipients = {
      'gone@customer.example': '550 5.1.1 <gone@customer.example>: Recipient address rejected: User unknown',
      'policy@customer.example': '550 5.7.1 <policy@customer.example>: Relay access denied',
    };
    try {
      const id = (await send('sp-smtp', ['ok@customer.example', 'gone@customer.example', 'policy@customer.example'], 'S-1')).body.id;
      const sent = await waitForEmail(m, 'sp-smtp', id, SETTLED);
      expect(sent.recipients.map((r: { email: string; status: string }) => [r.email, r.status])).toEqual([
        ['ok@customer.example', 'accepted'],
        ['gone@customer.example', 'failed'],
        ['policy@customer.example', 'failed'],
      ]);
      expect(await list('sp-smtp', 'gone@customer.example')).toEqual([
        expect.objectContaining({
          reason: 'smtp_rejected',
          sourceEmailId: id,
          detail: expect.stringContaining('5.1.1'),
          expiresAt: expect.any(String),
        }),
      ]);
      expect(await list('sp-smtp', 'policy@customer.example')).toEqual([]);

      // Every recipient refused at once (the send fails): still the mailbox's fault only.
      sink.behaviour.rejectRecipients['alone@customer.example'] = '550 5.1.1 <alone@customer.example>: User unknown';
      const alone = (await send('sp-smtp', ['alone@customer.example'], 'S-2')).body.id;
      expect((await waitForEmail(m, 'sp-smtp', alone, SETTLED)).status).toBe('failed');
      expect(await list('sp-smtp', 'alone@customer.example')).toEqual([expect.objectContaining({ reason: 'smtp_rejected' })]);

      const next = await send('sp-smtp', ['gone@customer.example'], 'S-3');
      expect(next.body).toMatchObject({ status: 'suppressed', suppressed: [{ reason: 'smtp_rejected' }] });
    } finally {
      sink.behaviour.rejectRecipients = {};
    }
  });
});

/** The worker checks again at send: an address added after the enqueue is not sent to. */
describe('the send-time check', () => {
  it('an address suppressed between enqueue and send is recorded suppressed by the worker; the other recipient still goes', async () => {
    const m = await startMailroom({}, { worker: false });
    const sink = await tenantOnSmtpSink(m, 'sp-late');
    try {
      const r = await m.call('POST', '/v1/tenants/sp-late/emails', {
        to: ['stays@customer.example', 'late@customer.example'],
        subject: 'L-1',
        text: 'Attached.',
      });
      expect(r.body).toEqual({ id: expect.any(String), status: 'queued' });
      expect((await m.call('POST', '/v1/tenants/sp-late/suppressions', { address: 'late@customer.example' })).status).toBe(201);
      await m.startWorker();
      const sent = await waitForEmail(m, 'sp-late', r.body.id, (e) => e.status === 'accepted');
      expect(sent.recipients.map((x: { status: string }) => x.status)).toEqual(['accepted', 'suppressed']);
      expect(sent.events).toEqual(
        expect.arrayContaining([expect.objectContaining({ type: 'suppressed', source: 'worker', recipient: 'late@customer.example' })]),
      );
      const [msg] = await sink.waitForMessages(1);
      expect(msg.envelope.rcptTo).toEqual(['stays@customer.example']);
      expect(JSON.stringify(msg.parsed.to)).not.toContain('late@');

      // Every recipient suppressed by then: the email ends suppressed and nothing is sent.
      await m.worker!.worker.pause();
      const all = (await m.call('POST', '/v1/tenants/sp-late/emails', { to: ['late2@customer.example'], subject: 'L-2', text: 'x' })).body
        .id;
      await m.call('POST', '/v1/tenants/sp-late/suppressions', { address: 'late2@customer.example' });
      await m.worker!.worker.resume();
      const ended = await waitForEmail(m, 'sp-late', all, (e) => e.status === 'suppressed');
      expect(ended.attempts).toEqual([]);
      // No attempt started, so the record keeps no mark of one in flight (decision 0064).
      expect(await m.api.deps.store.emails.get('sp-late', all)).not.toHaveProperty('attemptInFlightSince');
      await new Promise((res) => setTimeout(res, 300));
      expect(sink.messages).toHaveLength(1);
    } finally {
      await m.stop();
      await sink.close();
    }
  });
});

/** The worker's sweep deletes entries past their expiry for good (reads ignore them at once). */
describe('expired entries', () => {
  it('are removed by the worker every RETENTION_SWEEP_EVERY_MS; a complaint stays', async () => {
    const m = await startMailroom({ RETENTION_SWEEP_EVERY_MS: '200', SUPPRESSION_BOUNCE_DAYS: '1' });
    try {
      const store = m.api.deps.store;
      const longAgo = new Date(Date.now() - 3 * 24 * 3600 * 1000).toISOString();
      await store.suppressions.add(
        newSuppression({ tenantId: 'sp-exp', address: 'old-bounce@customer.example', reason: 'hard_bounce' }, longAgo, 1),
        longAgo,
      );
      await store.suppressions.add(
        newSuppression({ tenantId: 'sp-exp', address: 'spam@customer.example', reason: 'complaint' }, longAgo, 1),
        longAgo,
      );
      // Seen from the day it was added, the bounce is still in the table until the sweep deletes it.
      await waitFor(async () => (await store.suppressions.get('sp-exp', 'old-bounce@customer.example', longAgo)) === null, 'the sweep');
      expect(await store.suppressions.get('sp-exp', 'spam@customer.example', new Date().toISOString())).toMatchObject({
        reason: 'complaint',
      });
    } finally {
      await m.stop();
    }
  });
});
