import { randomBytes } from 'node:crypto';
import { CallbackReceiver } from '@mailroom/testkit';
import { PixelTokens } from '@mailroom/security';
import { Mailroom, SETTLED, startMailroom, waitFor, waitForEmail } from './support/mailroom-harness';
import { startCallbackReceiver } from './support/callback-bodies';

const SECRET = `whsec_${randomBytes(24).toString('base64')}`;
const BROWSER = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36';

/**
 * A script that loads the pixel with Node's own fetch (its default User-Agent is the bare `node`) is a
 * machine, like curl or python-requests: it is counted apart, does not make the email `opened`, and the
 * platform hears `email.opened` only when a person opens it.
 */
describe('the open pixel loaded by an HTTP library', () => {
  let m: Mailroom;
  let receiver: CallbackReceiver;
  beforeAll(async () => {
    receiver = await startCallbackReceiver([SECRET]);
    m = await startMailroom({ CALLBACK_URL: receiver.url, CALLBACK_SECRETS: SECRET, CALLBACK_RETRY_SCALE: '0.001' });
    await m.call('PUT', '/v1/tenants/pxn', { name: 'Pxn', plan: 'free' });
  });
  afterAll(async () => {
    await m?.stop();
    await receiver?.close();
  });

  it("counts Node's fetch as a machine and tells email.opened for the person only", async () => {
    const id = (await m.call('POST', '/v1/tenants/pxn/emails', { to: ['reader@customer.example'], subject: 'Invoice', html: '<p>i</p>' }))
      .body.id;
    await waitForEmail(m, 'pxn', id, SETTLED);
    const pixel = `${m.webhooks.url}/t/o/${new PixelTokens(m.config.encryptionKeys).mint('pxn', id)}`;
    // Past the 2 s prefetch window, so only the agent decides.
    m.webhooks.deps.now = () => new Date(Date.now() + 10_000);
    await (await fetch(pixel, { headers: { 'user-agent': 'node', 'x-forwarded-for': '203.0.113.5' } })).arrayBuffer();
    let email = await waitForEmail(m, 'pxn', id, (e) => e.opens.count + e.opens.machineCount === 1);
    expect(email.opens).toMatchObject({ count: 0, machineCount: 1 });
    expect(email.status).toBe('accepted');

    await (await fetch(pixel, { headers: { 'user-agent': BROWSER, 'x-forwarded-for': '198.51.100.7' } })).arrayBuffer();
    email = await waitForEmail(m, 'pxn', id, (e) => e.status === 'opened');
    expect(email.opens).toMatchObject({ count: 1, machineCount: 1 });
    await waitFor(
      async () => {
        const got = receiver.delivered().filter((c) => c.payload.data.emailId === id && c.payload.type === 'email.opened');
        return got.length > 0 && got;
      },
      'email.opened',
      10_000,
    );
    await new Promise((r) => setTimeout(r, 300));
    expect(receiver.delivered().filter((c) => c.payload.data.emailId === id && c.payload.type === 'email.opened')).toHaveLength(1);
  });
});
