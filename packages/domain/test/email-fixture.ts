import { applySendSuccess, markSending } from '../src/history';
import type { EmailRecord } from '../src/email';

/** Builders shared by the domain's tests: a queued invoice email at a fixed time. */
export const T0 = '2026-01-01T00:00:00.000Z';
export const at = (s: number): string => new Date(Date.parse(T0) + s * 1000).toISOString();

export function queuedEmail(recipients = ['a@x.example', 'b@x.example'], over: Partial<EmailRecord> = {}): EmailRecord {
  return {
    id: 'em_1',
    tenantId: 't',
    status: 'queued',
    subject: 's',
    document: { type: 'invoice', id: 'inv_42', number: 'F-2026-0042' },
    to: recipients.map((e) => ({ email: e })),
    cc: [],
    bcc: [],
    transport: { mode: 'smtp' },
    recipients: recipients.map((e) => ({ email: e, kind: 'to' as const, status: 'queued' as const, updatedAt: T0 })),
    attempts: [],
    events: [],
    opens: { count: 0, machineCount: 0 },
    test: false,
    hasHtml: true,
    attachmentCount: 0,
    createdAt: T0,
    updatedAt: T0,
    ...over,
  };
}

/** As the API stores an email for the platform's own servers: its `queued` event, no document, no HTML. */
export function platformEmail(recipients = ['a@x.example', 'b@x.example']): EmailRecord {
  const { document: _none, ...email } = queuedEmail(recipients, {
    transport: { mode: 'platform' },
    events: [{ type: 'queued', at: T0, key: 'api:queued', source: 'api' }],
    hasHtml: false,
  });
  return email;
}

/** Every recipient accepted on the first attempt. */
export function acceptedEmail(recipients = ['a@x.example', 'b@x.example']): EmailRecord {
  return applySendSuccess(
    markSending(queuedEmail(recipients), at(1))!,
    { messageId: '<m@x>', recipients: recipients.map((email) => ({ email, accepted: true })) },
    at(2),
  );
}
