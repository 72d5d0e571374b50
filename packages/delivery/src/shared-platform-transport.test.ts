import { loadConfig } from '@mailroom/config';
import { RunningSmtpSink, startSmtpSink } from '@mailroom/testkit';
import { createPlatformTransport, OutgoingMessage, platformModule, TransportContext } from '@mailroom/transports';
import { buildSmtpHostGuard } from './smtp-host-guard';
import { SharedPlatformTransport } from './shared-platform-transport';
import { TransportCache } from './transport-cache';

const message = (tenantId: string, n: number): OutgoingMessage => ({
  emailId: `em_${tenantId}_${n}`,
  tenantId,
  from: { email: 'documents@platform.example', name: tenantId },
  to: [{ email: `client${n}@customer.example` }],
  cc: [],
  bcc: [],
  subject: `Invoice ${n}`,
  text: 'attached',
  attachments: [],
  messageId: `<em_${tenantId}_${n}@platform.example>`,
  headers: {},
  trackOpens: false,
});

describe('the platform relay, shared by every platform tenant of a worker', () => {
  let relay: RunningSmtpSink;
  beforeAll(async () => {
    relay = await startSmtpSink({ tls: 'none' });
  });
  afterAll(() => relay.close());

  const config = () =>
    loadConfig({ NODE_ENV: 'test', PLATFORM_TRANSPORT: `smtp://127.0.0.1:${relay.port}`, PLATFORM_MAX_CONNECTIONS: '3' });

  it('is the same instance for every platform tenant; a tenant entry closing leaves the pool open; shutdown closes it', async () => {
    relay.clear();
    const shared = new SharedPlatformTransport(createPlatformTransport(config()));
    const cache = new TransportCache(10);
    const context: TransportContext = { tenantId: 'tenant-a', config: config(), smtpHosts: buildSmtpHostGuard(config()), platform: shared };
    const create = () => platformModule.createTransport(undefined, context);
    const a = cache.acquire('tenant-a', 1, create);
    const b = cache.acquire('tenant-b', 4, create);
    expect(a.transport).toBe(shared);
    expect(b.transport).toBe(shared);

    await Promise.all(Array.from({ length: 6 }, (_, i) => a.transport.send(message('tenant-a', i))));
    a.release();
    cache.evict('tenant-a'); // tenant A's entry is closed...
    await Promise.all(Array.from({ length: 6 }, (_, i) => b.transport.send(message('tenant-b', i)))); // ...B sends on
    b.release();
    await cache.closeAll();
    await b.transport.send(message('tenant-b', 99)); // still open: the cache never owned the pool

    expect(relay.messages).toHaveLength(13);
    expect(new Set(relay.messages.map((m) => m.connectionId)).size).toBeLessThanOrEqual(3);
    expect(relay.connections.length).toBeLessThanOrEqual(3);

    await shared.shutdown();
    await expect(shared.send(message('tenant-b', 100))).rejects.toMatchObject({ name: 'DeliveryError' });
  });

  it('without a shared relay, each call builds its own transport (the API’s one-off test email)', () => {
    const context: TransportContext = { tenantId: 'tenant-a', config: config(), smtpHosts: buildSmtpHostGuard(config()) };
    const one = platformModule.createTransport(undefined, context);
    const two = platformModule.createTransport(undefined, context);
    expect(one).not.toBe(two);
    void one.close?.();
    void two.close?.();
  });
});
