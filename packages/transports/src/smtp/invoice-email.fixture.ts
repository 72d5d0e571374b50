import { samplePdfBytes } from '@mailroom/testkit';
import type { OutgoingMessage } from '../transport';

/** Test material (for the specs only, not exported): a realistic invoice email for the SMTP and platform transports. */
export function invoiceEmail(overrides: Partial<OutgoingMessage> = {}): OutgoingMessage {
  const emailId = overrides.emailId ?? `em_${Math.random().toString(36).slice(2, 10)}`;
  return {
    emailId,
    tenantId: 'tn_acme',
    from: { email: 'facturas@acme.test', name: 'Acme Facturación, S.L.' },
    replyTo: { email: 'contabilidad@acme.test', name: 'Contabilidad' },
    to: [{ email: 'cliente@example.test', name: 'Cliente Uno' }],
    cc: [],
    bcc: [],
    subject: 'Factura F-2024/0042 — Acme',
    text: 'Adjuntamos la factura F-2024/0042.\n\nUn saludo.',
    html: '<p>Adjuntamos la factura <b>F-2024/0042</b>.</p>',
    attachments: [{ filename: 'F-2024-0042.pdf', contentType: 'application/pdf', content: samplePdfBytes() }],
    messageId: `<${emailId}@mailroom.test>`,
    headers: { 'X-Mailroom-Email-Id': emailId },
    trackOpens: false,
    ...overrides,
  };
}

/** Short waits so failure scenarios finish in well under a second. */
export const FAST_TIMEOUTS = { connectionMs: 1_000, greetingMs: 500, socketMs: 2_000 };
