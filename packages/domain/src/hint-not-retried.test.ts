import { hintAfterLastAttempt, hintNotRetried, hintPromisingRetry, joinHints } from './hint-not-retried';

const busy = hintPromisingRetry('The server is busy', 'the email will be retried automatically.', '; ');

describe('hints when nothing will retry', () => {
  it('pair a promise of a retry with the fact alone', () => {
    expect(busy).toEqual({ hint: 'The server is busy; the email will be retried automatically.', hintWithoutRetry: 'The server is busy.' });
    expect(hintPromisingRetry('Mailjet is having trouble', 'the email will be retried')).toEqual({
      hint: 'Mailjet is having trouble: the email will be retried',
      hintWithoutRetry: 'Mailjet is having trouble.',
    });
  });

  it('drop the promise of a retry, and say what to do instead', () => {
    expect(hintNotRetried(busy)).toBe('The server is busy.');
    expect(hintNotRetried(busy, 'Send it again later.')).toBe('The server is busy. Send it again later.');
  });

  it('keep a hint that promised nothing as it is', () => {
    expect(hintNotRetried({ hint: 'Check the host and port.' }, 'Send it again later.')).toBe('Check the host and port.');
  });

  it('after the last attempt: how many tries, and the retry route', () => {
    expect(hintAfterLastAttempt(busy, 3, '/v1/tenants/t/emails/em_1/retry')).toBe(
      'The server is busy. Tried 3 times without success; nothing retries it now: retry it (POST /v1/tenants/t/emails/em_1/retry) once the server or provider accepts mail again.',
    );
    expect(hintAfterLastAttempt({}, 1, '/r')).toMatch(/^Tried 1 time without/);
  });

  it('join two pieces of advice as sentences', () => {
    expect(joinHints('Mailgun could not be reached', 'Save again.')).toBe('Mailgun could not be reached. Save again.');
    expect(joinHints(undefined, 'Save again.')).toBe('Save again.');
  });
});
