import { Mailroom, SETTLED, startMailroom, waitForEmail } from './support/mailroom-harness';
import { PixelTokens } from '@mailroom/security';

const BROWSER = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15';

/**
 * The open pixel cannot grow an email's record without bound: 500 loads from many clients leave at
 * most 50 open events, counters that count them all, and a record of a few kilobytes; loads repeated by
 * one client within a minute count once.
 */
describe('the open pixel, loaded 500 times', () => {
  let m: Mailroom;
  beforeAll(async () => {
    m = await startMailroom();
    await m.call('PUT', '/v1/tenants/px', { name: 'Px', plan: 'free' });
    await m.call('PUT', '/v1/tenants/px/email-settings', { mode: 'platform', senderName: 'Px', replyTo: 'billing@px.example' });
  });
  afterAll(() => m.stop());

  it('leaves a small record with at most 50 open events and correct counters', async () => {
    const id = (await m.call('POST', '/v1/tenants/px/emails', { to: ['reader@customer.example'], subject: 'Quote', html: '<p>q</p>' })).body
      .id;
    await waitForEmail(m, 'px', id, SETTLED);
    // The pixel as the worker minted it (the same keys).
    const pixel = `${m.webhooks.url}/t/o/${new PixelTokens(m.config.encryptionKeys).mint('px', id)}`;
    const load = async (ua: string, ip: string) => {
      const r = await fetch(pixel, { headers: { 'user-agent': ua, 'x-forwarded-for': ip } });
      expect(r.headers.get('content-type')).toBe('image/gif');
      await r.arrayBuffer();
    };

    // Ten rounds a minute apart (the webhooks app's clock, moved on; past the 2 s prefetch window from
    // the start). Each round: 40 readers load it once, one scanner 5 times, Apple's proxy from 5
    // addresses. 500 loads; counted: 400 human opens, 10 + 50 machine opens (the scanner once a round).
    let clock = Date.now() + 10_000;
    m.webhooks.deps.now = () => new Date(clock);
    for (let round = 0; round < 10; round++) {
      const loads = [
        ...Array.from({ length: 40 }, (_, i) => () => load(BROWSER, `198.51.100.${i}`)),
        ...Array.from({ length: 5 }, () => () => load('Barracuda Sentinel (EE)', '192.0.2.1')),
        ...Array.from({ length: 5 }, (_, i) => () => load('Mozilla/5.0', `17.58.0.${i}`)),
      ];
      for (let i = 0; i < loads.length; i += 10) await Promise.all(loads.slice(i, i + 10).map((l) => l()));
      clock += 61_000;
    }
    m.webhooks.deps.now = () => new Date();

    const email = await waitForEmail(m, 'px', id, (e) => e.opens.count === 400 && e.opens.machineCount === 60);
    const opens = email.events.filter((e: { type: string }) => e.type === 'opened');
    expect(opens).toHaveLength(50);
    expect(email.opens).toMatchObject({ count: 400, machineCount: 60, omittedFromTimeline: 460 - 50 });
    // the first 10 open events and the latest 40 (the last round's)
    expect(opens.slice(0, 10).every((e: { at: string }) => Date.parse(e.at) < Date.parse(email.opens.firstAt) + 61_000)).toBe(true);
    expect(
      opens
        .slice(10)
        .every((e: { at: string }) => e.at === email.opens.lastAt || Date.parse(e.at) > Date.parse(email.opens.lastAt) - 61_000),
    ).toBe(true);
    expect(email.status).toBe('opened');
    expect(email).not.toHaveProperty('openClients'); // the fingerprints stay inside
    expect(JSON.stringify(email)).not.toMatch(/198\.51\.100\.|192\.0\.2\.1|17\.58\.0\./); // no IP anywhere
    expect(JSON.stringify(await m.api.deps.store.emails.get('px', id))).not.toMatch(/198\.51\.100\.|192\.0\.2\.1|17\.58\.0\./);

    const stored = await m.api.deps.store.emails.get('px', id);
    const size = JSON.stringify(stored).length;
    expect(size).toBeLessThan(24_000);
    expect(stored!.openClients!.length).toBeLessThanOrEqual(50);
    process.stdout.write(`open pixel: 500 loads -> ${opens.length} open events, stored record ${size} bytes\n`);
  }, 60_000);

  it('answers the GIF, never an error page, to a malformed, oversized or forged token, and records nothing', async () => {
    // Empty, or cut by a slash (a client or proxy mangling the link): still a token, still the GIF.
    for (const path of ['/t/o/%E0%A4%A.gif', '/t/o/%', '/t/o/abc', `/t/o/${'a'.repeat(5000)}.gif`, '/t/o/', '/t/o', '/t/o/a/b.gif']) {
      const r = await fetch(`${m.webhooks.url}${path}`, { headers: { 'user-agent': BROWSER } });
      expect([path, r.status, r.headers.get('content-type')]).toEqual([path, 200, 'image/gif']);
      expect(
        Buffer.from(await r.arrayBuffer())
          .subarray(0, 6)
          .toString(),
      ).toBe('GIF89a');
    }
    expect((await fetch(`${m.webhooks.url}/t/o/abc`, { method: 'POST' })).status).toBe(404);
  });
});
