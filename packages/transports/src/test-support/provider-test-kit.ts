import { DeliveryError } from '@mailroom/domain';
import type { OutgoingMessage } from '../transport';

/** The invoice email the provider transport tests send: tenant A to a client, with our ids. */
export function invoiceMessage(overrides: Partial<OutgoingMessage> = {}): OutgoingMessage {
  return {
    emailId: 'em_01',
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
    messageId: '<em_01@mailroom.example>',
    headers: { 'X-Mailroom-Email-Id': 'em_01' },
    trackOpens: true,
    ...overrides,
  };
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
