import { DeliveryError } from '@mailroom/domain';
import { samplePdfBytes } from '@mailroom/testkit';
import type { OutgoingMessage } from '../src/transport';

/**
 * Test material (for the specs only, not exported by the package): the invoice email the transport
 * tests send. By default tenant A bills a client with open tracking on; the Message-Id and the
 * X-Mailroom-Email-Id header follow `emailId` unless overridden too.
 */
export function invoiceMessage(overrides: Partial<OutgoingMessage> = {}): OutgoingMessage {
  const emailId = overrides.emailId ?? 'em_01';
  return {
    emailId,
    tenantId: 't_a',
    from: { email: 'billing@tenant-a.example', name: 'Tenant A' },
    replyTo: { email: 'support@tenant-a.example', name: 'Support' },
    to: [{ email: 'client@example.com', name: 'Client' }],
    cc: [],
    bcc: [],
    subject: 'Invoice F-2026-001',
    text: 'Please find your invoice attached.',
    html: '<p>Please find your invoice attached.</p>',
    attachments: [],
    messageId: `<${emailId}@mailroom.example>`,
    headers: { 'X-Mailroom-Email-Id': emailId },
    trackOpens: true,
    ...overrides,
  };
}

/** The SMTP and platform specs' invoice: a Spanish tenant's own sender and client, tracking off, the sample PDF attached. */
export function acmeInvoice(overrides: Partial<OutgoingMessage> = {}): OutgoingMessage {
  return invoiceMessage({
    tenantId: 'tn_acme',
    from: { email: 'facturas@acme.test', name: 'Acme Facturación, S.L.' },
    replyTo: { email: 'contabilidad@acme.test', name: 'Contabilidad' },
    to: [{ email: 'cliente@example.test', name: 'Cliente Uno' }],
    subject: 'Factura F-2024/0042 — Acme',
    text: 'Adjuntamos la factura F-2024/0042.\n\nUn saludo.',
    html: '<p>Adjuntamos la factura <b>F-2024/0042</b>.</p>',
    attachments: [{ filename: 'F-2024-0042.pdf', contentType: 'application/pdf', content: samplePdfBytes() }],
    trackOpens: false,
    ...overrides,
  });
}

/** The DeliveryError a call rejects with; fails the test when it resolves or throws anything else. */
export async function failureOf(p: Promise<unknown>): Promise<DeliveryError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(DeliveryError);
    return e as DeliveryError;
  }
  throw new Error('expected the call to fail with a DeliveryError');
}

/**
 * `count` invoices for two tenants sending at once: even i is tenant A (`t_a`, email id `em_a<i>`),
 * odd i tenant B (`t_b`, `em_b<i>`), each from its own tenant's sender.
 */
export function twoTenantInvoices(
  count: number,
  senders = { t_a: 'billing@tenant-a.example', t_b: 'billing@tenant-b.example' },
): OutgoingMessage[] {
  return Array.from({ length: count }, (_, i) => {
    const tenantId = i % 2 === 0 ? 't_a' : 't_b';
    return invoiceMessage({ emailId: `em_${tenantId.slice(2)}${i}`, tenantId, from: { email: senders[tenantId] } });
  });
}

/** A failure that never got an answer from the provider (connection dropped or refused): retried, no status code. */
export function expectRetryableWithoutAnswer(err: DeliveryError): void {
  expect(err.retryable).toBe(true);
  expect(err.responseCode).toBeUndefined();
}
