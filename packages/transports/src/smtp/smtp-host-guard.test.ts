import { OutboundAddressPolicy } from '@mailroom/security';
import { CountingListener, RunningDnsServer, startCountingListener, startDnsServer } from '@mailroom/testkit';
import { acmeInvoice, failureOf } from '../../test/outgoing-message.fixture';
import { FAST_TIMEOUTS, smtpTestBench } from '../../test/smtp-test-bench';
import { HostResolver, SmtpHostGuard, SmtpHostNotAllowedError, SmtpHostUnresolvableError, systemHostResolver } from './smtp-host-guard';
import { SmtpTransport } from './smtp-transport';

const USER = 'facturas@acme.test';
const PASSWORD = 'app-pass-abcd-efgh';
const ONLY_127_0_0_1 = new OutboundAddressPolicy([{ address: '127.0.0.1', prefixLength: 32 }]);
const BANNER = '220 redis-internal.corp ready, secret build 7f3a';

describe('SmtpHostGuard: what a tenant-chosen host may resolve to', () => {
  let dns: RunningDnsServer;
  beforeAll(async () => {
    dns = await startDnsServer({
      'mail.public.test': ['93.184.216.34', '2606:2800:220:1:248:1893:25c8:1946'],
      'intranet.test': ['10.1.2.3'],
      'metadata.test': ['169.254.169.254'],
      'mixed.test': ['93.184.216.34', '192.168.0.10'],
      'mapped.test': ['::ffff:127.0.0.2'],
      'v6-loopback.test': ['::1'],
      'allowed.test': ['127.0.0.1'],
    });
  });
  afterAll(() => dns.close());
  const guard = (policy = ONLY_127_0_0_1, resolve: HostResolver = dns.resolve) => new SmtpHostGuard(policy, resolve);

  it('passes a name whose every address is public, with all of them', async () => {
    expect(await guard().vet('mail.public.test', 1000)).toEqual({
      host: 'mail.public.test',
      addresses: ['93.184.216.34', '2606:2800:220:1:248:1893:25c8:1946'],
    });
    expect(await guard().vet('allowed.test', 1000)).toEqual({ host: 'allowed.test', addresses: ['127.0.0.1'] });
  });

  it.each([
    ['intranet.test', 'private'],
    ['metadata.test', 'metadata'],
    ['mixed.test', 'private'],
    ['mapped.test', 'loopback'],
    ['v6-loopback.test', 'loopback'],
    ['127.0.0.2', 'loopback'],
    ['127.2', 'loopback'],
    ['0x7f000002', 'loopback'],
    ['[::1]', 'loopback'],
    ['::', 'unspecified'],
    ['0.0.0.0', 'unspecified'],
    ['10.0.0.1', 'private'],
    ['100.64.1.1', 'carrier-grade-nat'],
    ['fd00::25', 'unique-local'],
  ])('refuses %s (%s) for good, saying nothing of the addresses', async (host, kind) => {
    const err = await failureOf(guard().vet(host, 1000));
    expect(err).toBeInstanceOf(SmtpHostNotAllowedError);
    expect(err).toMatchObject({
      code: 'smtp_host_not_allowed',
      retryable: false,
      hint: expect.stringMatching(/SMTP_PRIVATE_HOSTS_ALLOWED/),
    });
    expect((err as SmtpHostNotAllowedError).refused.map((v) => v.kind)).toContain(kind);
    expect(err.message).not.toMatch(/10\.1\.2\.3|169\.254|192\.168/);
  });

  it('an unresolvable name, or a resolver that does not answer in time, is a temporary EDNS', async () => {
    const missing = await failureOf(guard().vet('nowhere.test', 1000));
    expect(missing).toBeInstanceOf(SmtpHostUnresolvableError);
    expect(missing).toMatchObject({
      code: 'EDNS',
      retryable: true,
      message: expect.stringMatching(/nowhere\.test could not be resolved \(no A or AAAA record\)/),
    });
    const started = Date.now();
    const hanging = await failureOf(guard(ONLY_127_0_0_1, () => new Promise<string[]>(() => undefined)).vet('slow.test', 200));
    expect(hanging).toMatchObject({ code: 'EDNS', message: expect.stringMatching(/no answer within 200 ms/) });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('the system resolver asks the OS: /etc/hosts has localhost, and .invalid never resolves', async () => {
    expect(await systemHostResolver('localhost')).toContain('127.0.0.1');
    await expect(new SmtpHostGuard(new OutboundAddressPolicy()).vet('localhost', 2000)).rejects.toBeInstanceOf(SmtpHostNotAllowedError);
    await expect(new SmtpHostGuard(new OutboundAddressPolicy()).vet('mailroom-test.invalid', 2000)).rejects.toBeInstanceOf(
      SmtpHostUnresolvableError,
    );
  });
});

describe('SmtpTransport connects through the guard', () => {
  const bench = smtpTestBench();
  let dns: RunningDnsServer;
  let inside: CountingListener | undefined;
  beforeAll(async () => {
    dns = await startDnsServer();
  });
  afterAll(() => dns.close());
  afterEach(async () => {
    await inside?.close();
    inside = undefined;
  });
  const transport = (host: string, port: number, tls: boolean, resolve: HostResolver = dns.resolve) =>
    bench.transport(
      new SmtpTransport({
        host,
        port,
        tls,
        username: USER,
        password: PASSWORD,
        timeouts: FAST_TIMEOUTS,
        hostGuard: new SmtpHostGuard(ONLY_127_0_0_1, resolve),
      }),
    );

  it('never contacts a refused host, and nothing it could have said reaches the caller', async () => {
    inside = await startCountingListener({ host: '127.0.0.2', banner: BANNER });
    dns.set('rebound.test', ['127.0.0.2']);
    for (const host of ['127.0.0.2', 'rebound.test']) {
      const t = transport(host, inside.port, false);
      const err = await failureOf(t.send(acmeInvoice()));
      expect(err).toMatchObject({ code: 'smtp_host_not_allowed', retryable: false });
      expect(JSON.stringify({ ...err, message: err.message })).not.toContain('redis-internal');
      await expect(t.verify()).rejects.toMatchObject({ code: 'smtp_host_not_allowed' });
    }
    expect(inside.connections).toBe(0);
  });

  it('resolves once per connection and connects to the very address it checked (DNS rebinding)', async () => {
    const sink = await bench.sink({ tls: 'starttls', auth: { users: { [USER]: PASSWORD } } });
    inside = await startCountingListener({ host: '127.0.0.2', port: sink.port, banner: BANNER });
    // The attacker's DNS answers the check with an allowed address, and anyone asking again with a forbidden one.
    let lookups = 0;
    const rebinding: HostResolver = async (host) => {
      lookups += 1;
      const answer = await dns.resolve(host);
      dns.set(host, ['127.0.0.2']);
      return answer;
    };
    dns.set('rebind.test', ['127.0.0.1']);
    const socket = await new SmtpHostGuard(ONLY_127_0_0_1, rebinding).connect('rebind.test', sink.port, 1000);
    const greeting = await new Promise<string>((resolve) => socket.once('data', (d) => resolve(d.toString())));
    socket.destroy();
    expect(greeting).toMatch(/^220 /);
    expect(greeting).not.toContain('redis-internal');
    expect(lookups).toBe(1);
    expect(inside.connections).toBe(0);

    // Through the transport: one connection, one lookup by the guard, the message where it was checked.
    dns.set('localhost', ['127.0.0.1']);
    lookups = 0;
    await transport('localhost', sink.port, false, rebinding).send(acmeInvoice());
    expect(await sink.waitForMessages(1)).toHaveLength(1);
    expect(lookups).toBe(1);
    expect(inside.connections).toBe(0);
  });

  it.each([
    ['STARTTLS', 'starttls', false],
    ['implicit TLS', 'implicit', true],
  ] as const)('over %s, TLS sends and verifies the host NAME while the socket goes to the checked IP', async (_label, tls, implicit) => {
    const sink = await bench.sink({ tls, auth: { users: { [USER]: PASSWORD } } });
    // The test certificate names localhost, 127.0.0.1 and ::1.
    dns.set('localhost', ['127.0.0.1']);
    await transport('localhost', sink.port, implicit).send(acmeInvoice());
    const [received] = await sink.waitForMessages(1);
    expect(received.secure).toBe(true);

    // The same address under a name the certificate does not carry: refused, although the certificate
    // does list 127.0.0.1. So the check is made on the name, not on the address connected to.
    dns.set('mail.acme.test', ['127.0.0.1']);
    const err = await failureOf(transport('mail.acme.test', sink.port, implicit).send(acmeInvoice()));
    expect(err.retryable).toBe(false);
    expect(`${err.message} ${err.hint}`).toMatch(/certificate|ERR_TLS_CERT_ALTNAME_INVALID/i);
    expect(sink.messages).toHaveLength(1);
    expect(sink.authAttempts.filter((a) => a.username === USER)).toHaveLength(1);
  });
});
