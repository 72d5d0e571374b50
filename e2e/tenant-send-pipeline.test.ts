import { peakInFlight, RunningSmtpSink } from '@mailroom/testkit';
import { Mailroom, SETTLED, startMailroom, waitFor, waitForEmail } from './support/mailroom-harness';
import { tenantOnSmtpSink } from './support/smtp-tenant';

const EMAILS = 15;
const SERVER_HOLDS_MS = 2000;

/**
 * Decision 0071, with the default WORKER_CONCURRENCY, TENANT_MAX_IN_FLIGHT and SMTP_MAX_CONNECTIONS
 * (none set here): while a tenant's own SMTP server holds five of its messages on five connections,
 * five more of its emails are already read and marked `sending`, waiting for a connection, and the
 * rest wait in its backlog. The server never sees more than five at once.
 */
describe("a tenant's sends in flight are twice its SMTP connections by default", () => {
  let m: Mailroom;
  let server: RunningSmtpSink;
  beforeAll(async () => {
    m = await startMailroom();
    server = await tenantOnSmtpSink(m, 'pipeline');
    server.behaviour.dataReplyDelayMs = SERVER_HOLDS_MS;
  }, 60_000);
  afterAll(async () => {
    await m?.stop();
    await server?.close();
  });

  it('holds ten of them sending (five at the server, five ready for a connection) and five in the backlog', async () => {
    expect(m.config.send).toMatchObject({ concurrency: 20, tenantMaxInFlight: 10 });
    const ids: string[] = [];
    for (let i = 0; i < EMAILS; i++) {
      const r = await m.call('POST', '/v1/tenants/pipeline/emails', {
        to: [`ap${i}@customer.example`],
        subject: `Invoice ${i}`,
        text: 'Invoice.',
      });
      expect(r.status).toBe(202);
      ids.push(r.body.id);
    }
    const byStatus = async () => {
      const r = await m.call('GET', '/v1/tenants/pipeline/emails?limit=100');
      const counts: Record<string, number> = {};
      for (const e of r.body.items as { status: string }[]) counts[e.status] = (counts[e.status] ?? 0) + 1;
      return counts;
    };
    // While the server holds the first five (none answered yet).
    const held = await waitFor(async () => {
      const c = await byStatus();
      return c.sending === 10 ? c : undefined;
    }, 'ten of the tenant’s emails sending');
    expect(server.messages).toHaveLength(0);
    expect(held).toEqual({ sending: 10, queued: EMAILS - 10 });

    for (const id of ids) await waitForEmail(m, 'pipeline', id, SETTLED, 20_000);
    expect((await byStatus()).accepted).toBe(EMAILS);
    expect(server.messages).toHaveLength(EMAILS);
    expect(peakInFlight(server.messages)).toBe(5);
    expect(new Set(server.messages.map((s) => s.connectionId)).size).toBe(5);
  }, 60_000);
});
