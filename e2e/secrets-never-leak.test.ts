import { PassThrough } from 'node:stream';
import IORedis from 'ioredis';
import { startSendgridEmulator, startSmtpSink } from '@mailroom/testkit';
import { Mailroom, SETTLED, startMailroom, waitForEmail } from './support/mailroom-harness';

const SMTP_PASSWORD = 'smtp-Secret-Passw0rd-1234';
const SG_KEY = 'SG.very-secret-sendgrid-key-5678';
const WRONG_PASSWORD = 'Wrong-Secret-Passw0rd-9999';

/**
 * Secrets never appear in responses, logs (at trace level), job payloads or the history, through a
 * success, a rejected login, a test email and a webhook registration.
 */
describe('secrets', () => {
  let m: Mailroom;
  let closeSendgrid: () => Promise<void>;
  const logs: string[] = [];
  const responses: string[] = [];
  const secrets = [SMTP_PASSWORD, SG_KEY, WRONG_PASSWORD, Buffer.from(`\u0000billing@s.example\u0000${SMTP_PASSWORD}`).toString('base64')];

  beforeAll(async () => {
    const stream = new PassThrough();
    stream.on('data', (d) => logs.push(d.toString()));
    const sg = await startSendgridEmulator({ apiKeys: [SG_KEY] });
    closeSendgrid = () => sg.close();
    m = await startMailroom({ SENDGRID_API_URL: sg.url }, { logStream: stream });
    const call = m.call.bind(m);
    m.call = async (...args) => {
      const r = await call(...args);
      responses.push(JSON.stringify(r.body));
      return r;
    };
  });
  afterAll(async () => {
    await m.stop();
    await closeSendgrid();
  });

  it('appear in no answer, log line, job or history record', async () => {
    const sink = await startSmtpSink({ tls: 'starttls', auth: { users: { 'billing@s.example': SMTP_PASSWORD } } });
    await m.call('PUT', '/v1/tenants/s', { name: 'S', plan: 'premium' });
    const smtp = (password: string) => ({
      mode: 'smtp',
      senderName: 'S',
      smtp: {
        preset: 'other',
        fromAddress: 'billing@s.example',
        username: 'billing@s.example',
        password,
        host: '127.0.0.1',
        port: sink.port,
        tls: false,
      },
    });
    await m.call('PUT', '/v1/tenants/s/email-settings', smtp(SMTP_PASSWORD));
    const ok = (await m.call('POST', '/v1/tenants/s/emails', { to: ['c@x.example'], subject: 's', text: 't' })).body.id;
    await waitForEmail(m, 's', ok, SETTLED);
    await m.call('POST', '/v1/tenants/s/email-settings/test', smtp(WRONG_PASSWORD));
    await m.call('PUT', '/v1/tenants/s/email-settings', smtp(WRONG_PASSWORD));
    const bad = (await m.call('POST', '/v1/tenants/s/emails', { to: ['c@x.example'], subject: 's', text: 't' })).body.id;
    expect((await waitForEmail(m, 's', bad, SETTLED)).status).toBe('failed');
    await m.call('PUT', '/v1/tenants/s/email-settings', {
      mode: 'provider',
      senderName: 'S',
      provider: { name: 'sendgrid', fromAddress: 'billing@s.example', privateApiKey: SG_KEY },
    });
    const viaSg = (await m.call('POST', '/v1/tenants/s/emails', { to: ['c@x.example'], subject: 's', text: 't' })).body.id;
    await waitForEmail(m, 's', viaSg, SETTLED);
    await m.call('GET', '/v1/tenants/s/email-settings');
    await m.call('GET', '/v1/tenants/s/emails?limit=100');
    await sink.close();

    const redis = new IORedis(m.config.redisUrl);
    const jobs: string[] = [];
    for (const key of await redis.keys(`${m.config.queuePrefix}:send:*`)) {
      if ((await redis.type(key)) === 'hash') jobs.push(JSON.stringify(await redis.hgetall(key)));
    }
    redis.disconnect();
    expect(jobs.length).toBeGreaterThan(0);

    const history = JSON.stringify((await m.call('GET', '/v1/tenants/s/emails?limit=100')).body);
    expect(logs.length).toBeGreaterThan(10);
    for (const secret of secrets) {
      for (const [where, texts] of Object.entries({ logs, responses, jobs, history: [history] })) {
        expect([where, texts.some((t) => t.includes(secret))]).toEqual([where, false]);
      }
    }
  });
});
