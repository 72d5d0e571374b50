import { randomBytes } from 'node:crypto';
import {
  CallbackReceiver,
  MailgunEmulator,
  mailgunEvents,
  ReceivedCallback,
  RunningSmtpSink,
  startMailgunEmulator,
  startSmtpSink,
} from '@mailroom/testkit';
import { Mailroom, SETTLED, startMailroom, waitFor, waitForEmail } from './support/mailroom-harness';
import { startCallbackReceiver } from './support/callback-bodies';
import { tenantOnSmtpSink } from './support/smtp-tenant';

const SECRET = `whsec_${randomBytes(24).toString('base64')}`;
const MG_KEY = 'key-cbsend-000000000000000000001';
const BROWSER = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36';

/**
 * Every transition tells the platform, black-box: the worker's sends, a provider's events through the
 * webhooks app, the open pixel, the suppression list, the settings. Every callback is verified by the
 * standardwebhooks package in the receiver (startCallbackReceiver).
 */
describe('callbacks from the send path', () => {
  let m: Mailroom;
  let receiver: CallbackReceiver;
  let mg: MailgunEmulator;
  let sink: RunningSmtpSink;
  /** Per email id: what the receiver answers (default 204). */
  const answers = new Map<string, (n: number) => number | Promise<number>>();

  beforeAll(async () => {
    receiver = await startCallbackReceiver([SECRET], (_n, cb) => {
      const script = answers.get(String(cb.payload.data.emailId));
      const seen = receiver.received.filter((r) => r.payload.data.emailId === cb.payload.data.emailId).length - 1;
      return script ? script(seen) : 204;
    });
    mg = await startMailgunEmulator({ region: 'eu', keys: [MG_KEY], domains: ['mg.cbs.example'] });
    m = await startMailroom({
      CALLBACK_URL: receiver.url,
      CALLBACK_SECRETS: SECRET,
      CALLBACK_RETRY_SCALE: '0.001',
      MAILGUN_API_URL_EU: mg.url,
    });
    await m.call('PUT', '/v1/tenants/cb-mg', { name: 'CB Mailgun', plan: 'free' });
    await m.call('PUT', '/v1/tenants/cb-mg/email-settings', {
      mode: 'provider',
      senderName: 'CB',
      provider: { name: 'mailgun', fromAddress: 'billing@mg.cbs.example', privateApiKey: MG_KEY, region: 'eu' },
    });
    sink = await tenantOnSmtpSink(m, 'cb-smtp');
  });
  afterAll(async () => {
    await m.stop();
    await mg.close();
    await sink.close();
    await receiver.close();
  });

  const send = async (tenant: string, subject: string, extra: Record<string, unknown> = {}) => {
    const r = await m.call('POST', `/v1/tenants/${tenant}/emails`, {
      to: ['client@customer.example'],
      subject,
      text: 'Attached.',
      document: { type: 'invoice', id: `inv_${subject}`, number: subject },
      ...extra,
    });
    expect(r.status).toBe(202);
    return r.body.id as string;
  };
  const callbacksOf = (id: string): ReceivedCallback[] => receiver.received.filter((r) => r.payload.data.emailId === id);
  const deliveredOf = (id: string): ReceivedCallback[] => receiver.delivered().filter((r) => r.payload.data.emailId === id);
  const waitForDelivered = (id: string, n: number) =>
    waitFor(async () => deliveredOf(id).length >= n && deliveredOf(id), `${n} callback(s) of ${id}`);
  const mailgunTarget = (id: string) => {
    const msg = mg.sent.find((s) => s.fields.some(([k, v]) => k === 'v:mailroom_email_id' && v === id))!;
    return mg.targetsOf(msg)[0];
  };
  const postMailgun = async (data: Record<string, unknown>) => {
    const r = await mg.postEvent(`${m.webhooks.url}/webhooks/mailgun/cb-mg`, data);
    expect(r.status).toBe(200);
  };

  it("an invoice's accepted, delivered and opened callbacks (Mailgun) arrive signed and in that order; a machine open says nothing", async () => {
    // The accepted callback is held at the receiver until the delivered and opened events are in the history.
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const id = await send('cb-mg', 'MG-1');
    answers.set(id, async (n) => (n === 0 ? (await held, 204) : 204));
    await waitForEmail(m, 'cb-mg', id, (e) => e.status === 'accepted');
    await waitFor(async () => callbacksOf(id).length === 1, 'the accepted callback at the receiver');

    const target = mailgunTarget(id);
    await postMailgun(mailgunEvents.delivered(target));
    await postMailgun(mailgunEvents.opened(target, { bot: 'apple' }));
    await postMailgun(mailgunEvents.opened(target));
    await waitForEmail(m, 'cb-mg', id, (e) => e.status === 'opened' && e.opens.machineCount === 1);
    expect(callbacksOf(id)).toHaveLength(1);
    release();

    const got = await waitForDelivered(id, 3);
    expect(got.map((c) => [c.payload.type, c.payload.data.status, c.payload.data.recipient])).toEqual([
      ['email.accepted', 'accepted', 'client@customer.example'],
      ['email.delivered', 'delivered', 'client@customer.example'],
      ['email.opened', 'opened', 'client@customer.example'],
    ]);
    for (const c of got) {
      expect(c.verifiedBy).toEqual([true]);
      expect(c.payload.data).toMatchObject({
        tenantId: 'cb-mg',
        emailId: id,
        document: { type: 'invoice', id: 'inv_MG-1', number: 'MG-1' },
      });
      expect(c.body).not.toContain('Attached.');
    }
    for (let i = 1; i < got.length; i++) expect(got[i].receivedAt).toBeGreaterThanOrEqual(got[i - 1].answeredAt!);
    await new Promise((r) => setTimeout(r, 300));
    expect(callbacksOf(id)).toHaveLength(3);
  });

  it('our open pixel: a person opening (not a machine) gives email.opened after email.accepted', async () => {
    const id = await send('cb-smtp', 'PX-1', { html: '<p>Your invoice</p>' });
    const accepted = await waitForEmail(m, 'cb-smtp', id, (e) => e.status === 'accepted');
    const [msg] = (await sink.waitForMessages(1)).filter((x) => x.parsed.subject === 'PX-1');
    const pixel = /src="([^"]+\/t\/o\/[^"]+)"/.exec(String(msg.parsed.html))![1];
    expect(pixel.startsWith(m.webhooks.url)).toBe(true);
    await fetch(pixel, { headers: { 'user-agent': 'Mozilla/5.0' } }); // Apple Mail Privacy Protection
    // A person opens it later than a scanner would (machine-open.ts: within 2 s of acceptance is a prefetch).
    await new Promise((r) => setTimeout(r, Math.max(0, Date.parse(accepted.updatedAt) + 2200 - Date.now())));
    await fetch(pixel, { headers: { 'user-agent': BROWSER } });
    await waitForEmail(m, 'cb-smtp', id, (e) => e.status === 'opened');
    const got = await waitForDelivered(id, 2);
    expect(got.map((c) => [c.payload.type, c.verifiedBy])).toEqual([
      ['email.accepted', [true]],
      ['email.opened', [true]],
    ]);
    await new Promise((r) => setTimeout(r, 300));
    expect(callbacksOf(id)).toHaveLength(2);
  });

  it('a receiver answering 500 gets the same webhook-id (and body) again', async () => {
    const id = await send('cb-smtp', 'R500-1');
    answers.set(id, (n) => (n < 2 ? 500 : 204));
    const [ok] = await waitForDelivered(id, 1);
    const all = callbacksOf(id);
    expect(all.map((c) => [c.payload.type, c.answeredWith])).toEqual([
      ['email.accepted', 500],
      ['email.accepted', 500],
      ['email.accepted', 204],
    ]);
    expect(new Set(all.map((c) => c.id))).toEqual(new Set([ok.id]));
    expect(new Set(all.map((c) => c.body)).size).toBe(1);
    for (const c of all) expect(c.verifiedBy).toEqual([true]);
  });

  it('a bounce and a complaint tell why and suppress the address; a provider drop reads as email.failed with its status', async () => {
    const to = ['gone@customer.example', 'angry@customer.example', 'dropped@customer.example'];
    const id = await send('cb-mg', 'MG-2', { to });
    await waitForEmail(m, 'cb-mg', id, (e) => e.status === 'accepted');
    const msg = mg.sent.find((s) => s.fields.some(([k, v]) => k === 'v:mailroom_email_id' && v === id))!;
    const [gone, angry, dropped] = to.map((r) => mg.targetsOf(msg).find((t) => t.recipient === r)!);
    await postMailgun(mailgunEvents.failedPermanent(gone));
    await postMailgun(mailgunEvents.complained(angry));
    await postMailgun(mailgunEvents.rejected(dropped, { reason: 'Sandbox subdomains are for test purposes only' }));
    const got = await waitForDelivered(id, 6);
    const byType = (type: string) => got.filter((c) => c.payload.type === type).map((c) => c.payload.data);
    expect(byType('email.accepted')).toHaveLength(3);
    expect(byType('email.bounced')).toEqual([
      expect.objectContaining({
        recipient: 'gone@customer.example',
        status: 'bounced',
        bounceType: 'hard',
        reply: expect.objectContaining({ responseCode: 550, statusCode: '5.1.1' }),
      }),
    ]);
    expect(byType('email.complained')).toEqual([expect.objectContaining({ recipient: 'angry@customer.example', status: 'complained' })]);
    // The bounce and the complaint put their addresses on the tenant's list; the drop does not.
    const listed = (await m.call('GET', '/v1/tenants/cb-mg/suppressions')).body.items.map((x: { address: string; reason: string }) => [
      x.address,
      x.reason,
    ]);
    expect(listed.sort()).toEqual([
      ['angry@customer.example', 'complaint'],
      ['gone@customer.example', 'hard_bounce'],
    ]);
    expect(byType('email.failed')).toEqual([
      expect.objectContaining({
        recipient: 'dropped@customer.example',
        status: 'dropped',
        reply: expect.objectContaining({ response: expect.stringContaining('Sandbox') }),
      }),
    ]);
  });

  it('a recipient suppressed at enqueue: email.suppressed with the reason, and no send', async () => {
    await m.call('POST', '/v1/tenants/cb-smtp/suppressions', { address: 'blocked@customer.example' });
    const id = await send('cb-smtp', 'SUP-1', { to: ['blocked@customer.example'] });
    const [got] = await waitForDelivered(id, 1);
    expect(got.payload).toMatchObject({
      type: 'email.suppressed',
      data: { recipient: 'blocked@customer.example', status: 'suppressed', emailStatus: 'suppressed', suppression: { reason: 'manual' } },
    });
    expect(sink.messages.filter((x) => x.parsed.subject === 'SUP-1')).toEqual([]);
  });

  it("deferred is told once however many times a recipient is deferred, with the server's reply, then accepted", async () => {
    sink.behaviour.onDataReply = (msg) =>
      msg.parsed.subject === 'DEF-1' && sink.refusedMessages.filter((x) => x.parsed.subject === 'DEF-1').length < 2
        ? '451 4.3.0 Temporary local problem, try later'
        : undefined;
    try {
      const id = await send('cb-smtp', 'DEF-1');
      const sent = await waitForEmail(m, 'cb-smtp', id, SETTLED);
      expect(sent.attempts.map((a: { ok: boolean }) => a.ok)).toEqual([false, false, true]);
      const got = await waitForDelivered(id, 2);
      expect(got.map((c) => c.payload.type)).toEqual(['email.deferred', 'email.accepted']);
      // The attempt's advice with its key, so the platform can say it in its user's language.
      expect(got[0].payload.data).toMatchObject({
        status: 'deferred',
        reply: { responseCode: 451, response: expect.stringContaining('4.3.0'), hintKey: 'smtp.tryLater', hintThen: 'retry' },
      });
    } finally {
      sink.behaviour.onDataReply = undefined;
    }
  });

  it('settings.failing: a rejected login is told once for the episode, with every email failed', async () => {
    const strict = await startSmtpSink({ tls: 'starttls', auth: { users: { 'u@cb-auth.example': 'the-right-one' } } });
    try {
      await m.call('PUT', '/v1/tenants/cb-auth', { name: 'CB Auth', plan: 'premium' });
      await m.call('PUT', '/v1/tenants/cb-auth/email-settings', {
        mode: 'smtp',
        senderName: 'CB Auth',
        smtp: {
          preset: 'other',
          fromAddress: 'u@cb-auth.example',
          username: 'u@cb-auth.example',
          password: 'a-wrong-one',
          host: '127.0.0.1',
          port: strict.port,
          tls: false,
        },
      });
      const ids = [await send('cb-auth', 'AUTH-1'), await send('cb-auth', 'AUTH-2')];
      let failedReply: any;
      for (const id of ids) {
        const [failed] = await waitForDelivered(id, 1);
        failedReply = failed.payload.data.reply;
        expect(failed.payload).toMatchObject({
          type: 'email.failed',
          data: { status: 'failed', reply: { code: 'EAUTH', hint: expect.any(String), hintKey: 'smtp.badLogin' } },
        });
      }
      const settings = await waitFor(async () => {
        const s = receiver.delivered().filter((c) => c.payload.type === 'settings.failing' && c.payload.data.tenantId === 'cb-auth');
        return s.length > 0 && s;
      }, 'settings.failing');
      // The reply reads as the email.failed one does: the SMTP reply code the server gave, and its words.
      expect(settings[0].payload.data).toMatchObject({
        reason: 'login_rejected',
        mode: 'smtp',
        reply: {
          code: 'EAUTH',
          responseCode: 535,
          response: expect.stringMatching(/^535 /),
          hint: expect.any(String),
          hintKey: 'smtp.badLogin',
        },
      });
      expect((settings[0].payload.data.reply as { hint: string }).hint).toBe(failedReply.hint);
      await new Promise((r) => setTimeout(r, 300));
      expect(receiver.received.filter((c) => c.payload.type === 'settings.failing' && c.payload.data.tenantId === 'cb-auth')).toHaveLength(
        1,
      );
    } finally {
      await strict.close();
    }
  });

  it('settings.failing: the plan fallback is told once when it starts, and again for a new episode', async () => {
    const fallbacks = () => receiver.received.filter((c) => c.payload.type === 'settings.failing' && c.payload.data.tenantId === 'cb-smtp');
    await m.call('PUT', '/v1/tenants/cb-smtp', { name: 'cb-smtp', plan: 'basic' });
    for (const subject of ['FB-1', 'FB-2']) {
      const sent = await waitForEmail(m, 'cb-smtp', await send('cb-smtp', subject), SETTLED);
      expect(sent.transport).toEqual({ mode: 'platform', reason: 'plan_fallback' });
    }
    const [told] = await waitFor(async () => fallbacks().length > 0 && fallbacks(), 'the plan fallback callback');
    expect(told.payload.data).toEqual({
      tenantId: 'cb-smtp',
      reason: 'plan_fallback',
      mode: 'smtp',
      plan: 'basic',
      reply: { hint: expect.stringContaining('plan'), hintKey: 'settings.planFallback', hintParams: { plan: 'basic' } },
    });
    expect(told.verifiedBy).toEqual([true]);
    // Back on a plan that allows its server (the episode ends), then down again: a new episode.
    await m.call('PUT', '/v1/tenants/cb-smtp', { name: 'cb-smtp', plan: 'premium' });
    await waitForEmail(m, 'cb-smtp', await send('cb-smtp', 'FB-3'), SETTLED);
    await new Promise((r) => setTimeout(r, 300));
    expect(fallbacks()).toHaveLength(1);
    await m.call('PUT', '/v1/tenants/cb-smtp', { name: 'cb-smtp', plan: 'basic' });
    await waitForEmail(m, 'cb-smtp', await send('cb-smtp', 'FB-4'), SETTLED);
    await waitFor(async () => fallbacks().length === 2, 'a second episode');
    expect(fallbacks()[1].id).not.toBe(told.id);
    await m.call('PUT', '/v1/tenants/cb-smtp', { name: 'cb-smtp', plan: 'premium' });
  });
});
