import { OutboundAddressPolicy } from '@mailroom/security';
import { RunningSmtpSink, startSmtpSink } from '@mailroom/testkit';
import { SmtpHostGuard } from '../src/smtp/smtp-host-guard';

/** Short waits so SMTP failure scenarios finish in well under a second. */
export const FAST_TIMEOUTS = { connectionMs: 1_000, greetingMs: 500, socketMs: 2_000 };

/** The SSRF guard as the tests configure it: the local SMTP servers (127.0.0.1, ::1) allowlisted, nothing else. */
export const LOCAL_SMTP_HOSTS = new SmtpHostGuard(
  new OutboundAddressPolicy([
    { address: '127.0.0.1', prefixLength: 32 },
    { address: '::1', prefixLength: 128 },
  ]),
);

/** What a describe block opens against real SMTP servers; `smtpTestBench` closes it all after each test. */
export interface SmtpTestBench {
  /** Starts an SMTP sink on 127.0.0.1:0. */
  sink(...args: Parameters<typeof startSmtpSink>): Promise<RunningSmtpSink>;
  /** Any other server the test started (a silent one, say). */
  server<S extends { close(): Promise<void> }>(server: S): S;
  /** A transport the test built, so its pooled connections are closed. */
  transport<T extends { close(): void }>(transport: T): T;
}

/** Call inside a describe block: what the tests open through the bench is closed after each of them. */
export function smtpTestBench(): SmtpTestBench {
  const servers: { close(): Promise<void> }[] = [];
  const transports: { close(): void }[] = [];
  afterEach(async () => {
    transports.splice(0).forEach((t) => t.close());
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });
  const server = <S extends { close(): Promise<void> }>(s: S): S => {
    servers.push(s);
    return s;
  };
  return {
    server,
    sink: async (...args) => server(await startSmtpSink(...args)),
    transport: (t) => {
      transports.push(t);
      return t;
    },
  };
}
