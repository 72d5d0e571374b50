import type { RunningSmtpSink } from '@mailroom/testkit';
import { acmeInvoice } from '../../test/outgoing-message.fixture';
import { FAST_TIMEOUTS, smtpTestBench } from '../../test/smtp-test-bench';
import { isLoopback, parsePlatformTransportUrl, platformTransportFromUrl } from './platform-transport-from-url';

const USERS = { 'relay@platform.test': 'p@ss/w:rd' };
const CREDENTIALS = `${encodeURIComponent('relay@platform.test')}:${encodeURIComponent('p@ss/w:rd')}`;

describe('parsePlatformTransportUrl', () => {
  it.each([
    ['smtps://u:p@smtp.platform.test', { host: 'smtp.platform.test', port: 465, tls: true }],
    ['smtp://u:p@smtp.platform.test', { host: 'smtp.platform.test', port: 587, tls: false }],
    ['smtp://smtp.platform.test:2525', { host: 'smtp.platform.test', port: 2525, tls: false }],
    ['smtp://127.0.0.1:25', { host: '127.0.0.1', port: 25, tls: 'optional' }],
    ['smtp://localhost:25', { host: 'localhost', port: 25, tls: 'optional' }],
    ['smtp://[::1]:25', { host: '::1', port: 25, tls: 'optional' }],
    ['smtp://127.0.0.1:25?tls=starttls', { host: '127.0.0.1', port: 25, tls: false }],
    ['smtp://relay.internal:25?tls=none', { host: 'relay.internal', port: 25, tls: 'none' }],
    ['smtp://relay.internal:465?tls=implicit', { host: 'relay.internal', port: 465, tls: true }],
  ])('%s', (url, expected) => {
    expect(parsePlatformTransportUrl(url)).toMatchObject(expected);
  });

  it('percent-decodes the credentials', () => {
    expect(parsePlatformTransportUrl(`smtp://${CREDENTIALS}@relay.test`)).toMatchObject({
      username: 'relay@platform.test',
      password: 'p@ss/w:rd',
    });
  });

  it.each([
    ['http://u:hunter22@relay.test', /must be an smtp:\/\/ or smtps:\/\/ URL/],
    ['smtp://u:hunter22@relay.test?requireTLS=false', /unknown parameter "requireTLS"/],
    ['smtp://u:hunter22@relay.test?tls=maybe', /tls must be implicit, starttls or none/],
    ['smtps://u:hunter22@relay.test?tls=none', /smtps:\/\/ is implicit TLS/],
    ['u:hunter22 at relay', /must be an smtp:\/\/ or smtps:\/\/ URL/],
    ['smtp://u:hunter22@', /not a valid URL|a host is required/],
  ])('refuses %s without repeating the password', (url, message) => {
    let error: Error | undefined;
    try {
      parsePlatformTransportUrl(url);
    } catch (e) {
      error = e as Error;
    }
    expect(error?.message).toMatch(message);
    expect(JSON.stringify({ ...error, message: error?.message })).not.toContain('hunter22');
  });

  it('knows loopback hosts', () => {
    expect(['localhost', '127.0.0.1', '127.1.2.3', '::1', 'app.localhost'].every(isLoopback)).toBe(true);
    expect(['10.0.0.1', 'relay.internal', '128.0.0.1', 'localhost.example.com'].some(isLoopback)).toBe(false);
  });
});

describe('platformTransportFromUrl against real relays', () => {
  const bench = smtpTestBench();
  const relay = (tls: RunningSmtpSink['tls']) => bench.sink({ tls, auth: { users: USERS } });
  const fromUrl = (url: string) => bench.transport(platformTransportFromUrl(url, { timeouts: FAST_TIMEOUTS }));

  it('smtp:// to a loopback relay without TLS delivers (the one place plaintext is allowed by default)', async () => {
    const s = await relay('none');
    const t = fromUrl(`smtp://${CREDENTIALS}@127.0.0.1:${s.port}`);
    expect(t.kind).toBe('platform');
    await t.send(acmeInvoice());
    const [received] = await s.waitForMessages(1);
    expect(received).toMatchObject({ secure: false, user: 'relay@platform.test' });
  });

  it('smtp:// to a loopback relay that offers STARTTLS uses it', async () => {
    const s = await relay('starttls');
    await fromUrl(`smtp://${CREDENTIALS}@127.0.0.1:${s.port}`).send(acmeInvoice());
    const [received] = await s.waitForMessages(1);
    expect(received.secure).toBe(true);
    expect(s.authAttempts).toEqual([expect.objectContaining({ ok: true, secure: true })]);
  });

  it('?tls=starttls requires it even on loopback: no STARTTLS, no login, nothing sent', async () => {
    const s = await relay('none');
    await expect(fromUrl(`smtp://${CREDENTIALS}@localhost:${s.port}?tls=starttls`).send(acmeInvoice())).rejects.toMatchObject({
      code: 'ETLS',
      retryable: false,
    });
    expect(s.authAttempts).toEqual([]);
    expect(s.messages).toEqual([]);
  });

  it('smtps:// speaks implicit TLS', async () => {
    const s = await relay('implicit');
    await fromUrl(`smtps://${CREDENTIALS}@localhost:${s.port}`).send(acmeInvoice());
    const [received] = await s.waitForMessages(1);
    expect(received.secure).toBe(true);
  });
});
