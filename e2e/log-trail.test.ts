import { PassThrough } from 'node:stream';
import { PixelTokens } from '@mailroom/security';
import { MailgunEmulator, mailgunEvents, startMailgunEmulator } from '@mailroom/testkit';
import { Mailroom, SETTLED, startMailroom, waitForEmail } from './support/mailroom-harness';

const KEY = 'key-trail-tenant-00000000000000001';

/**
 * On call, one email is followed through the logs by its `emailId` (README, Operations): the API's
 * enqueue, the worker's send, and, at debug, each provider event and open the webhooks app records for
 * it. Before, the webhooks app never named the email of an event it recorded, at any level.
 */
describe('one email followed through the three apps by its emailId', () => {
  let m: Mailroom;
  let mailgun: MailgunEmulator;
  const lines: Array<Record<string, unknown>> = [];
  beforeAll(async () => {
    mailgun = await startMailgunEmulator({ region: 'eu', keys: [KEY], domains: ['mg.trail.example'] });
    const stream = new PassThrough();
    stream.on('data', (d: Buffer) =>
      lines.push(
        ...d
          .toString()
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l)),
      ),
    );
    m = await startMailroom({ MAILGUN_API_URL_EU: mailgun.url }, { logStream: stream, logLevel: 'debug' });
    await m.call('PUT', '/v1/tenants/trail', { name: 'Trail', plan: 'free' });
    const saved = await m.call('PUT', '/v1/tenants/trail/email-settings', {
      mode: 'provider',
      senderName: 'Trail',
      provider: { name: 'mailgun', fromAddress: 'billing@mg.trail.example', privateApiKey: KEY, region: 'eu' },
    });
    expect(saved.body.webhook).toMatchObject({ registered: true });
  });
  afterAll(async () => {
    await m.stop();
    await mailgun.close();
  });

  it('the webhooks app names the email of each event and open it records, at debug', async () => {
    const id = (await m.call('POST', '/v1/tenants/trail/emails', { to: ['client@customer.example'], subject: 'Invoice T-1', text: 'hi' }))
      .body.id as string;
    await waitForEmail(m, 'trail', id, SETTLED);
    const msg = mailgun.sent.find((s) => s.fields.some(([k, v]) => k === 'v:mailroom_email_id' && v === id))!;
    const [target] = mailgun.targetsOf(msg);
    const url = `${m.webhooks.url}/webhooks/mailgun/trail`;
    // The same event twice (Mailgun retrying a post it did not see answered), freshly signed each time.
    const delivered = mailgunEvents.delivered(target);
    expect((await mailgun.postEvent(url, delivered)).status).toBe(200);
    expect((await mailgun.postEvent(url, delivered)).status).toBe(200);
    await fetch(`${m.webhooks.url}/t/o/${new PixelTokens(m.config.encryptionKeys).mint('trail', id)}`, {
      headers: { 'user-agent': 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) Thunderbird/128.0' },
    });

    const about = lines.filter((l) => l.emailId === id).map((l) => l.msg);
    expect(about).toEqual(
      expect.arrayContaining(['email queued', 'sent', 'webhook event recorded', 'webhook event already recorded', 'open pixel loaded']),
    );
    const recorded = lines.find((l) => l.msg === 'webhook event recorded' && l.emailId === id);
    expect(recorded).toMatchObject({ tenantId: 'trail', provider: 'mailgun', type: 'delivered' });
    expect(lines.find((l) => l.msg === 'open pixel loaded')).toMatchObject({ tenantId: 'trail', emailId: id });
  });

  it("a test email's request line names its email, as an enqueue's does", async () => {
    const answer = await m.call('POST', '/v1/tenants/trail/email-settings/test', {});
    expect(answer.body).toMatchObject({ ok: true, emailId: expect.any(String) });
    const line = lines.find((l) => l.msg === 'request completed' && (l.req as { path?: string })?.path?.endsWith('/email-settings/test'));
    expect(line).toMatchObject({
      req: { method: 'POST', path: '/v1/tenants/trail/email-settings/test' },
      res: { status: 200 },
      tenantId: 'trail',
      emailId: answer.body.emailId,
    });
  });
});
