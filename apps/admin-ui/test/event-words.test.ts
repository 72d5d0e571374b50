import { attemptOutcome, eventWords, shownReason } from '../src/history/event-words';
import { createI18n } from '../src/i18n/i18n';

describe('an interrupted attempt in the email screen', () => {
  const en = createI18n('en');
  const es = createI18n('es');
  const interrupted = {
    type: 'interrupted',
    reason: 'the worker stopped mid-send: the server may or may not have received the message',
  };

  it('the timeline says a duplicate is possible in the reader’s language, not the worker’s English', () => {
    expect(eventWords(en, interrupted)).toBe('Sending interrupted: the server may have received it, a duplicate is possible');
    expect(eventWords(es, interrupted)).toBe('Envío interrumpido: puede que el servidor lo recibiera, es posible un duplicado');
    expect(shownReason(en, interrupted)).toBe('');
  });

  it('the attempt is interrupted, not failed; other attempts keep their words', () => {
    expect(attemptOutcome(en, { ok: false, code: 'interrupted' })).toBe('Interrupted');
    expect(attemptOutcome(es, { ok: false, code: 'interrupted' })).toBe('Interrumpido');
    expect(attemptOutcome(en, { ok: false, code: 'ESOCKET' })).toBe('Failed');
    expect(attemptOutcome(en, { ok: true })).toBe('Accepted');
  });

  it('a server’s reason is still shown as it said it', () => {
    expect(shownReason(en, { type: 'deferred', reason: '451 4.7.1 Greylisted' })).toBe('451 4.7.1 Greylisted');
  });
});
