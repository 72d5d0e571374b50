import type { EmailEvent } from '../src/api/types';
import { timelineRecipients } from '../src/history/timeline-recipients';
import { createI18n } from '../src/i18n/i18n';

describe("a timeline event's recipients", () => {
  const en = createI18n('en');
  const es = createI18n('es');

  it('a failed attempt for some recipients only lists them, as a list in the reader’s language', () => {
    const two: EmailEvent = {
      type: 'deferred',
      at: '2026-01-01T00:00:00.000Z',
      source: 'worker',
      recipients: ['b@x.example', 'c@x.example'],
    };
    expect(timelineRecipients(two, en)).toBe('attempt for b@x.example and c@x.example only');
    expect(timelineRecipients(two, es)).toBe('intento solo para b@x.example y c@x.example');
    const three = { ...two, recipients: ['a@x.example', 'b@x.example', 'c@x.example'] };
    expect(timelineRecipients(three, en)).toBe('attempt for a@x.example, b@x.example, and c@x.example only');
    expect(timelineRecipients(three, es)).toBe('intento solo para a@x.example, b@x.example y c@x.example');
    // One recipient: the attempt's words too, not the bare address an event about a recipient shows.
    expect(timelineRecipients({ recipient: 'b@x.example', recipients: ['b@x.example'] }, en)).toBe('attempt for b@x.example only');
  });

  it('any other event names its one recipient, or nobody', () => {
    expect(timelineRecipients({ recipient: 'a@x.example' }, en)).toBe('a@x.example');
    expect(timelineRecipients({ recipient: 'a@x.example' }, es)).toBe('a@x.example');
    expect(timelineRecipients({}, en)).toBe('');
  });
});
