import { RunningSmtpSink, startSmtpSink } from '@mailroom/testkit';
import { OutboundAddressPolicy } from '@mailroom/security';
import { SmtpHostGuard, SmtpTransport } from '@mailroom/transports';
import type { SendJobData } from '../../src/send-queue';

const USER = 'sender@tenant.example';
const PASSWORD = 'tenant-smtp-password';

export interface TenantSmtp {
  sink: RunningSmtpSink;
  /** Sends one small invoice email for the job through the tenant's own pooled transport; resolves on the server's 250. */
  send(job: SendJobData): Promise<void>;
  close(): Promise<void>;
}

/**
 * A real SMTP server (STARTTLS + AUTH) and, per tenant, Mailroom's own SmtpTransport with its default
 * pool, as the worker's transport cache holds them: what a send job does, minus the store.
 * Needs NODE_EXTRA_CA_CERTS=packages/testkit/certs/ca.pem (scripts/test.sh and `pnpm bench` set it).
 */
export async function startTenantSmtp(): Promise<TenantSmtp> {
  const sink = await startSmtpSink({ tls: 'starttls', auth: { users: { [USER]: PASSWORD } } });
  const transports = new Map<string, SmtpTransport>();
  // The SSRF guard as the worker runs it, with the local sink allowlisted (SMTP_PRIVATE_HOSTS_ALLOWED).
  const localSink = new SmtpHostGuard(new OutboundAddressPolicy([{ address: sink.host, prefixLength: 32 }]));
  const transportOf = (tenantId: string) => {
    let t = transports.get(tenantId);
    if (!t) {
      t = new SmtpTransport({ host: sink.host, port: sink.port, tls: false, username: USER, password: PASSWORD, hostGuard: localSink });
      transports.set(tenantId, t);
    }
    return t;
  };
  return {
    sink,
    async send({ tenantId, emailId }) {
      await transportOf(tenantId).send({
        emailId,
        tenantId,
        from: { email: USER, name: `Tenant ${tenantId}` },
        to: [{ email: `client-${emailId}@client.example` }],
        cc: [],
        bcc: [],
        subject: `Invoice ${emailId}`,
        text: 'Please find your invoice attached.',
        attachments: [],
        messageId: `<${emailId}@tenant.example>`,
        headers: { 'X-Mailroom-Email-Id': emailId },
        trackOpens: false,
      });
    },
    async close() {
      for (const t of transports.values()) t.close();
      await sink.close();
    },
  };
}
