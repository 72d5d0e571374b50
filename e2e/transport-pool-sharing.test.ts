import { RunningSmtpSink, SmtpSinkOptions, startSmtpSink } from '@mailroom/testkit';
import { Mailroom, SETTLED, startMailroom, waitForEmail } from './support/mailroom-harness';
import { putSmtpTenant, startTenantSink } from './support/smtp-tenant';

const LOGIN = { user: 'billing@pool.example', password: 'pool-password-1' };

/**
 * One pooled connection set per transport, and a pool is never closed under the sends that use it:
 * platform tenants share one set of relay connections; a tenant's own pool, evicted (a permanent
 * failure, new settings), finishes the sends it has before it closes.
 */
describe('transport pools', () => {
  let m: Mailroom;
  let relay: RunningSmtpSink;
  const sinks: RunningSmtpSink[] = [];

  beforeAll(async () => {
    relay = await startSmtpSink({ tls: 'none' });
    m = await startMailroom({ PLATFORM_TRANSPORT: `smtp://127.0.0.1:${relay.port}`, PLATFORM_MAX_CONNECTIONS: '2' });
  });
  afterAll(async () => {
    await m.stop();
    await relay.close();
    for (const s of sinks) await s.close();
  });

  async function smtpTenant(tenant: string, options: SmtpSinkOptions = {}) {
    const sink = await startTenantSink(LOGIN, options);
    sinks.push(sink);
    const save = () => putSmtpTenant(m, tenant, sink, LOGIN);
    await save();
    return { sink, save };
  }

  const send = async (tenant: string, to: string, subject: string) => {
    const r = await m.call('POST', `/v1/tenants/${tenant}/emails`, { to: [to], subject, text: 'invoice attached' });
    expect(r.status).toBe(202);
    return r.body.id as string;
  };

  it('a recipient refused with 550 fails its email only: the next emails on the pool go out at their first attempt', async () => {
    const { sink } = await smtpTenant('refused', {
      rejectRecipients: { 'nobody@customer.example': '550 5.1.1 <nobody@customer.example>: User unknown' },
    });
    const refused = await send('refused', 'nobody@customer.example', 'to nobody');
    const others = await Promise.all(Array.from({ length: 6 }, (_, i) => send('refused', `c${i}@customer.example`, `invoice ${i}`)));

    expect((await waitForEmail(m, 'refused', refused, SETTLED)).status).toBe('failed');
    for (const id of others) {
      const email = await waitForEmail(m, 'refused', id, SETTLED);
      expect([email.status, email.attempts.map((a: { ok: boolean; response?: string }) => a.response)]).toEqual([
        'accepted',
        [expect.stringMatching(/^250/)],
      ]);
    }
    expect(sink.messages).toHaveLength(6);
  });

  it('new settings while sends are in flight: they finish on the old pool, the next goes through the new one', async () => {
    const { sink, save } = await smtpTenant('resave', { dataReplyDelayMs: 600 });
    const first = await Promise.all(Array.from({ length: 4 }, (_, i) => send('resave', `r${i}@customer.example`, `before ${i}`)));
    await new Promise((r) => setTimeout(r, 300)); // two in DATA on the pool's two connections, two queued behind them
    await save(); // version 2: the worker drops the old pool at the next send
    const after = await send('resave', 'late@customer.example', 'after');
    for (const id of [...first, after]) {
      const email = await waitForEmail(m, 'resave', id, SETTLED);
      expect([id, email.status, email.attempts.length]).toEqual([id, 'accepted', 1]);
    }
    expect(sink.messages).toHaveLength(5);
  });

  it('two platform tenants share one set of relay connections', async () => {
    for (const t of ['pa', 'pb']) {
      await m.call('PUT', `/v1/tenants/${t}`, { name: t, plan: 'free' });
      await m.call('PUT', `/v1/tenants/${t}/email-settings`, { mode: 'platform', senderName: t, replyTo: `billing@${t}.example` });
    }
    relay.clear();
    relay.behaviour.dataReplyDelayMs = 50;
    const ids = await Promise.all(
      Array.from({ length: 16 }, (_, i) => {
        const tenant = i < 8 ? 'pa' : 'pb';
        return send(tenant, `c${i}@customer.example`, `platform ${i}`).then((id) => ({ tenant, id }));
      }),
    );
    for (const { tenant, id } of ids) expect((await waitForEmail(m, tenant, id, SETTLED)).status).toBe('accepted');
    relay.behaviour.dataReplyDelayMs = 0;

    const tenantOf = new Map(ids.map(({ tenant, id }) => [id, tenant]));
    const tenantsByConnection = new Map<string, Set<string>>();
    for (const msg of relay.messages) {
      const tenant = tenantOf.get(msg.parsed.headers.get('x-mailroom-email-id') as string)!;
      tenantsByConnection.set(msg.connectionId, (tenantsByConnection.get(msg.connectionId) ?? new Set()).add(tenant));
    }
    expect(relay.messages).toHaveLength(16);
    expect(relay.connections.length).toBeLessThanOrEqual(2); // PLATFORM_MAX_CONNECTIONS for both tenants together
    expect([...tenantsByConnection.values()].some((t) => t.size === 2)).toBe(true); // one connection carried both tenants' mail
  });
});
