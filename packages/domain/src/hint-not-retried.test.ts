import {
  hintAfterLastAttempt,
  hintForTestEmail,
  hintNotRetried,
  hintOf,
  hintPromisingRetry,
  joinHints,
  recordedHint,
} from './hint-not-retried';

const busy = hintPromisingRetry('smtp.tryLater', 'The server is busy', 'the email will be retried automatically.', { joiner: '; ' });

describe('hints when nothing will retry', () => {
  it('pair a promise of a retry with the fact alone', () => {
    expect(busy).toEqual({
      hint: 'The server is busy; the email will be retried automatically.',
      hintWithoutRetry: 'The server is busy.',
      hintKey: 'smtp.tryLater',
      hintThen: 'retry',
    });
    expect(hintPromisingRetry('mailjet.unavailable', 'Mailjet is having trouble', 'the email will be retried')).toMatchObject({
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

  it('after the last attempt: how many tries, and the retry route, with the key of the advice and what follows it', () => {
    expect(hintAfterLastAttempt(busy, 3, '/v1/tenants/t/emails/em_1/retry')).toEqual({
      hint: 'The server is busy. Tried 3 times without success; nothing retries it now: retry it (POST /v1/tenants/t/emails/em_1/retry) once the server or provider accepts mail again.',
      hintKey: 'smtp.tryLater',
      hintParams: { attempts: 3, retryPath: '/v1/tenants/t/emails/em_1/retry' },
      hintThen: 'lastAttempt',
    });
    expect(hintAfterLastAttempt({}, 1, '/r')).toEqual({
      hint: expect.stringMatching(/^Tried 1 time without/),
      hintParams: { attempts: 1, retryPath: '/r' },
      hintThen: 'lastAttempt',
    });
  });

  it('a test email: the promise becomes "send it again later"; a hint that promised nothing is recorded as it is', () => {
    expect(hintForTestEmail(busy)).toEqual({
      hint: 'The server is busy. Nothing retries a test email: send it again later.',
      hintKey: 'smtp.tryLater',
      hintThen: 'testEmail',
    });
    const host = hintOf('smtp.hostNotFound', 'The host name "x" could not be found: check it for typos.', { host: 'x' });
    expect(hintForTestEmail(host)).toEqual(host);
    expect(recordedHint(busy)).toEqual({ hint: busy.hint, hintKey: 'smtp.tryLater', hintThen: 'retry' });
  });

  it('join two pieces of advice as sentences', () => {
    expect(joinHints('Mailgun could not be reached', 'Save again.')).toBe('Mailgun could not be reached. Save again.');
    expect(joinHints(undefined, 'Save again.')).toBe('Save again.');
  });
});
