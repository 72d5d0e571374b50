import { loadConfig } from '@mailroom/config';
import { acmeInvoice } from '../../test/outgoing-message.fixture';
import { LOCAL_SMTP_HOSTS, smtpTestBench } from '../../test/smtp-test-bench';
import type { TransportContext } from '../provider-module';
import type { Transport } from '../transport';
import { smtpModule } from './smtp-module';
import { PRESET_MAX_CONNECTIONS, tenantSmtpConnections } from './smtp-presets';

const USER = 'facturas@acme.test';
const PASSWORD = 'app-pass-abcd-efgh';

describe("a tenant's SMTP server: how many connections one worker opens (decision 0047)", () => {
  const bench = smtpTestBench();

  const context = (smtpMaxConnections: string): TransportContext => ({
    tenantId: 'acme',
    config: loadConfig({ NODE_ENV: 'test', SMTP_MAX_CONNECTIONS: smtpMaxConnections }),
    smtpHosts: LOCAL_SMTP_HOSTS,
  });

  /** Ten sends at once through the module's transport; the sink counts the connections they came on. */
  async function connectionsFor(preset: 'other' | 'gmail', smtpMaxConnections: string): Promise<number> {
    const sink = await bench.sink({ tls: 'starttls', auth: { users: { [USER]: PASSWORD } } });
    const transport = bench.transport(
      smtpModule.createTransport(
        { preset, host: '127.0.0.1', port: sink.port, tls: false, username: USER, auth: 'password', password: PASSWORD },
        context(smtpMaxConnections),
      ) as Transport & { close(): void },
    );
    await Promise.all(Array.from({ length: 10 }, () => transport.send(acmeInvoice())));
    expect(sink.messages).toHaveLength(10);
    return new Set(sink.messages.map((m) => m.connectionId)).size;
  }

  it("the tenant's own server (preset other) gets SMTP_MAX_CONNECTIONS, 5 by default", async () => {
    expect(loadConfig({ NODE_ENV: 'test' }).smtpMaxConnections).toBe(5);
    expect(await connectionsFor('other', '5')).toBe(5);
    expect(await connectionsFor('other', '3')).toBe(3);
  });

  it("a preset's server gets at most 2, whatever SMTP_MAX_CONNECTIONS says", async () => {
    expect(await connectionsFor('gmail', '5')).toBe(PRESET_MAX_CONNECTIONS);
    expect(await connectionsFor('gmail', '1')).toBe(1);
  });

  it('picks the pool size from the preset and the configured figure', () => {
    expect(tenantSmtpConnections('other', 8)).toBe(8);
    expect(tenantSmtpConnections('outlook', 8)).toBe(2);
    expect(tenantSmtpConnections('ionos', 1)).toBe(1);
  });

  it('refuses a connection count outside 1-50 at start, naming the variable', () => {
    expect(() => loadConfig({ NODE_ENV: 'test', SMTP_MAX_CONNECTIONS: '0' })).toThrow(/SMTP_MAX_CONNECTIONS/);
    expect(() => loadConfig({ NODE_ENV: 'test', SMTP_MAX_CONNECTIONS: '51' })).toThrow(/SMTP_MAX_CONNECTIONS/);
  });
});
