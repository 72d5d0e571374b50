import { DeliveryError } from '@mailroom/domain';
// The testkit is a sibling workspace package that transports does not depend on at run time.
import { MailjetEmulator, startMailjetEmulator } from '../../../testkit/src/emulators/mailjet';
import { MAILJET_WEBHOOK_EVENT_TYPES, registerMailjetWebhook } from './mailjet-registration';

const A = { public: 'pub-tenant-a-0123456789', private: 'priv-tenant-a-abcdef' };
const B = { public: 'pub-tenant-b-9876543210', private: 'priv-tenant-b-fedcba' };
const URL_A = 'https://hooks.mailroom.example/webhooks/mailjet/t_a';

describe('registerMailjetWebhook against the Mailjet emulator', () => {
  let mj: MailjetEmulator;
  const register = (keys: typeof A, basicPassword: string, url = URL_A) =>
    registerMailjetWebhook({
      publicKey: keys.public,
      privateKey: keys.private,
      baseUrl: mj.url,
      timeoutMs: 5000,
      url,
      basicUser: 'mailroom-t_a',
      basicPassword,
    });
  const callbacksOf = (keys: typeof A) => mj.callbacks.filter((c) => c.publicKey === keys.public);

  beforeAll(async () => {
    mj = await startMailjetEmulator({ keys: [A, B] });
  });
  afterAll(() => mj.close());

  it('creates one grouped callback per event type, with the Basic credentials embedded in the URL', async () => {
    const result = await register(A, 'first-password_123');
    expect(result).toEqual({ url: URL_A });
    const mine = callbacksOf(A);
    expect(mine.map((c) => c.EventType).sort()).toEqual([...MAILJET_WEBHOOK_EVENT_TYPES].sort());
    for (const c of mine) {
      expect(c).toMatchObject({
        Url: 'https://mailroom-t_a:first-password_123@hooks.mailroom.example/webhooks/mailjet/t_a',
        Version: 2,
        IsBackup: false,
        Status: 'alive',
      });
    }
    const posts = mj.requests.filter((r) => r.method === 'POST' && r.path === '/v3/REST/eventcallbackurl');
    expect(posts).toHaveLength(MAILJET_WEBHOOK_EVENT_TYPES.length);
  });

  it('updates the callbacks in place when run again (new password, a URL set by hand), and leaves other accounts alone', async () => {
    await register(B, 'tenant-b-password', 'https://hooks.mailroom.example/webhooks/mailjet/t_b');
    const open = callbacksOf(A).find((c) => c.EventType === 'open')!;
    open.Url = 'https://old.example.com/hook';
    open.Status = 'deleted';
    const before = mj.requests.length;

    await register(A, 'second-password_456');

    const mine = callbacksOf(A);
    expect(mine).toHaveLength(MAILJET_WEBHOOK_EVENT_TYPES.length);
    for (const c of mine) expect(c.Url).toBe('https://mailroom-t_a:second-password_456@hooks.mailroom.example/webhooks/mailjet/t_a');
    expect(open.Status).toBe('alive');
    const calls = mj.requests.slice(before).map((r) => `${r.method} ${r.path}`);
    expect(calls.filter((c) => c.startsWith('POST'))).toEqual([]);
    expect(calls.filter((c) => c.startsWith('PUT'))).toHaveLength(MAILJET_WEBHOOK_EVENT_TYPES.length);
    expect(callbacksOf(B).every((c) => c.Url.includes('tenant-b-password'))).toBe(true);
  });

  it('does nothing more when everything is already in place', async () => {
    const before = mj.requests.length;
    await register(A, 'second-password_456');
    expect(mj.requests.slice(before).map((r) => r.method)).toEqual(['GET']);
  });

  it('fails with the key hint on wrong keys, and never shows the webhook password', async () => {
    let err: DeliveryError | undefined;
    try {
      await register({ public: A.public, private: 'wrong' }, 'third-password_789');
    } catch (e) {
      err = e as DeliveryError;
    }
    expect(err).toBeInstanceOf(DeliveryError);
    expect(err).toMatchObject({
      retryable: false,
      responseCode: 401,
      hint: 'Mailjet rejected the API keys: check the public and private key pair',
    });
    // The step that failed in words for people, not the internal step name ("list").
    expect(err!.message).toMatch(/^Mailjet did not let Mailroom read the account's event callbacks: Mailjet refused the request \(401\)/);
    expect(err!.message).not.toContain('"list"');
    expect(JSON.stringify({ ...err, message: err!.message })).not.toContain('third-password_789');
  });

  it("fails with Mailjet's words when it refuses the callback, without the password in them", async () => {
    mj.injectFault(
      {
        kind: 'status',
        status: 400,
        body: { ErrorInfo: '', ErrorMessage: 'Invalid Url https://mailroom-t_a:fourth-password@hooks.mailroom.example', StatusCode: 400 },
      },
      (req) => req.method === 'PUT',
    );
    const err = await register(A, 'fourth-password').then(
      () => undefined,
      (e: DeliveryError) => e,
    );
    if (!err) throw new Error('expected the registration to fail');
    expect(err).toBeInstanceOf(DeliveryError);
    expect(err).toMatchObject({ retryable: false, responseCode: 400 });
    expect(err.response).toContain('Invalid Url');
    expect(err.message).toMatch(/^Mailjet did not register the callback for its "(sent|open|click|bounce|blocked|spam|unsub)" events: /);
    expect(`${err.message} ${err.response}`).not.toContain('fourth-password');
    expect(err.hint).toMatch(/refused the webhook registration/);
    expect(err.hintKey).toBe('mailjet.webhookRefused');
  });

  it('refuses credentials that would need URL encoding', async () => {
    await expect(register(A, 'p@ss:word')).rejects.toMatchObject({
      code: 'ECONFIG',
      retryable: false,
      hintKey: 'mailjet.webhookCredentials',
    });
  });
});
