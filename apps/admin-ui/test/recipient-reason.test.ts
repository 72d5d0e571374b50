import type { EmailRecord } from '../src/api/types';
import { recipientReason } from '../src/history/recipient-reason';
import { createI18n } from '../src/i18n/i18n';

type Recipient = EmailRecord['recipients'][number];
const recipient = (r: Partial<Recipient>): Recipient => ({ email: 'client@example.com', kind: 'to', status: 'bounced', ...r }) as Recipient;

describe("a recipient's reason in the history", () => {
  const i18n = createI18n('en');

  it('shows the reply code and the enhanced status beside the words, once', () => {
    expect(recipientReason(recipient({ bounceType: 'hard', responseCode: 550, statusCode: '5.1.1', reason: 'User unknown' }), i18n)).toBe(
      'hard · 550 5.1.1 · User unknown',
    );
    expect(recipientReason(recipient({ status: 'delivered', responseCode: 250, reason: 'OK' }), i18n)).toBe('250 · OK');
    expect(recipientReason(recipient({ responseCode: 550, statusCode: '5.1.1', reason: '550 5.1.1 User unknown' }), i18n)).toBe(
      '550 5.1.1 User unknown',
    );
  });
});
