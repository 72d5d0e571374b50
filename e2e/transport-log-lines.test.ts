import { PassThrough } from 'node:stream';
import { SETTLED, startMailroom, waitForEmail } from './support/mailroom-harness';
import { putSmtpTenant, startTenantSink } from './support/smtp-tenant';

const LOGIN = { user: 'billing@lines.example', password: 'lines password' };

/**
 * A tenant's transport is built for its first email and reused for the next ones (the transport
 * cache). Its log lines must name the email they are about, and only it: a transport built with the
 * first job's logger stamped every later line with that first email's id and attempt as well.
 */
it("a cached transport's log lines name the email being sent, not the one it was built for", async () => {
  const raw: string[] = [];
  const stream = new PassThrough();
  stream.on('data', (d: Buffer) => raw.push(...d.toString().split('\n').filter(Boolean)));
  const sink = await startTenantSink(LOGIN);
  const m = await startMailroom({}, { logStream: stream });
  try {
    await putSmtpTenant(m, 'lines', sink, LOGIN, { name: 'Lines' });
    const ids: string[] = [];
    for (const n of [1, 2]) {
      const r = await m.call('POST', '/v1/tenants/lines/emails', {
        to: ['client@customer.example'],
        subject: `Invoice ${n}`,
        text: 'Attached.',
      });
      expect(r.status).toBe(202);
      ids.push(r.body.id);
      await waitForEmail(m, 'lines', r.body.id, SETTLED);
    }
    const took = raw.filter((l) => l.includes('"SMTP server took the email"'));
    expect(took).toHaveLength(2);
    took.forEach((line, i) => {
      // Each key once (pino writes a child's bindings and the call's fields side by side, duplicates included).
      expect(line.match(/"emailId":/g)).toHaveLength(1);
      expect(line.match(/"tenantId":/g)).toHaveLength(1);
      expect(line).not.toContain('"attempt":');
      expect(JSON.parse(line)).toMatchObject({ tenantId: 'lines', emailId: ids[i] });
    });
    // nodemailer's own lines (connections, the pool) are the tenant's: they say which tenant.
    const connectionLines = raw.map((l) => JSON.parse(l)).filter((l) => l.tnx !== undefined);
    expect(connectionLines.length).toBeGreaterThan(0);
    expect(connectionLines.every((l) => l.tenantId === 'lines' && l.emailId === undefined)).toBe(true);
    // The worker's own line for each send still says which email and which attempt.
    const sent = raw.filter((l) => l.includes('"msg":"sent"')).map((l) => JSON.parse(l));
    expect(sent.map((l) => [l.emailId, l.attempt])).toEqual(ids.map((id) => [id, 1]));
  } finally {
    await m.stop();
    await sink.close();
  }
});
