import net from 'node:net';
import { DeliveryError } from '@mailroom/domain';
// The testkit is a sibling workspace package that transports does not depend on at run time.
import { refusingPort } from '../../../testkit/src/smtp/dead-end-servers';
import { classifyMailgunError, MAILGUN_401_HINT, MailgunApiErrorShape, MailgunErrorContext } from './classify-mailgun-error';
import { createMailgunClient } from './create-mailgun-client';

const ctx: MailgunErrorContext = { action: 'send', domain: 'mg.tenant.example', timeoutMs: 1000, secrets: ['key-secret-1234'] };
const apiError = (status: number, message: string, details?: unknown): MailgunApiErrorShape => ({
  status,
  message,
  details,
  type: 'MailgunAPIError',
});

describe('classifyMailgunError', () => {
  it('promises a retry only for a send, and says the same without the promise for when nothing retries', () => {
    const send = classifyMailgunError(apiError(400, 'ENOTFOUND', 'getaddrinfo ENOTFOUND api.mailgun.invalid'), ctx);
    expect(send).toMatchObject({
      hint: 'Mailgun could not be reached: it will be retried',
      hintWithoutRetry: 'Mailgun could not be reached.',
      hintKey: 'mailgun.unreachable',
      hintThen: 'retry',
    });
    const registration = classifyMailgunError(apiError(503, 'Service Unavailable', ''), { ...ctx, action: 'register-webhook' });
    expect(registration.hint).toBe(
      'Mailgun had a temporary problem. Nothing retries the registration: save the email settings again once Mailgun answers.',
    );
    expect(registration.hintWithoutRetry).toBeUndefined();
    expect(registration).toMatchObject({ hintKey: 'mailgun.unavailable', hintThen: 'saveAgain', hintParams: { provider: 'Mailgun' } });
    const slow = classifyMailgunError(apiError(400, 'ETIMEDOUT', 'timeout exceeded'), ctx);
    expect(slow).toMatchObject({ hintKey: 'mailgun.timedOut', hintParams: { ms: 1000 } });
    const forbidden = classifyMailgunError(apiError(403, 'Forbidden', 'Domain disabled'), ctx);
    expect(forbidden).toMatchObject({ hintKey: 'mailgun.forbidden', hintParams: { domain: 'mg.tenant.example' } });
  });

  it.each([
    // [status, status text or axios code, details, retryable, code]
    [400, 'ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:1', true, 'ECONNREFUSED'],
    [400, 'ECONNRESET', 'socket hang up', true, 'ECONNRESET'],
    [400, 'ECONNABORTED', 'timeout of 1000ms exceeded', true, 'ETIMEDOUT'],
    [400, 'ETIMEDOUT', 'timeout exceeded', true, 'ETIMEDOUT'],
    [400, 'ENOTFOUND', 'getaddrinfo ENOTFOUND api.mailgun.invalid', true, 'ENOTFOUND'],
    [400, 'ERR_NETWORK', 'Network Error', true, 'ERR_NETWORK'],
    [400, 'ERR_INVALID_URL', 'Invalid URL', false, 'ERR_INVALID_URL'],
    [400, 'Bad Request', "Missing parameter 'to'.", false, 'http_400'],
    // an HTTP 400 whose status line had no reason phrase: axios's code stands in for it, still a real 400
    [400, 'ERR_BAD_REQUEST', "Missing parameter 'to'.", false, 'http_400'],
    [401, 'Unauthorized', 'Forbidden', false, 'http_401'],
    [403, 'Forbidden', 'Domain disabled', false, 'http_403'],
    [404, 'Not Found', 'Domain not found: mg.tenant.example', false, 'http_404'],
    [408, 'Request Timeout', '', true, 'http_408'],
    [413, 'Payload Too Large', 'Request Entity Too Large', false, 'http_413'],
    [429, 'Too Many Requests', 'Too many requests', true, 'http_429'],
    [500, 'Internal Server Error', 'Internal Server Error', true, 'http_500'],
    [503, 'Service Unavailable', '', true, 'http_503'],
  ])('%i %s (%s) -> retryable %s, code %s', (status, message, details, retryable, code) => {
    const err = classifyMailgunError(apiError(status, message, details), ctx);
    expect(err).toBeInstanceOf(DeliveryError);
    expect(err).toMatchObject({ retryable, code });
    if (code.startsWith('http_')) expect(err.responseCode).toBe(status);
    else expect(err.responseCode).toBeUndefined();
  });

  it('gives the hints an admin can act on', () => {
    expect(classifyMailgunError(apiError(401, 'Unauthorized', 'Forbidden'), ctx).hint).toBe(MAILGUN_401_HINT.hint);
    expect(classifyMailgunError(apiError(404, 'Not Found', 'Domain not found'), ctx).hint).toContain(
      'the domain mg.tenant.example is not in this Mailgun account/region',
    );
    expect(classifyMailgunError(apiError(413, 'Payload Too Large', ''), ctx).hint).toContain('message too large');
    expect(classifyMailgunError(apiError(400, 'Bad Request', "Missing parameter 'to'."), ctx)).toMatchObject({
      response: "Missing parameter 'to'.",
    });
  });

  it('honours Retry-After only on a retryable answer', () => {
    expect(classifyMailgunError(apiError(429, 'Too Many Requests', ''), { ...ctx, retryAfter: '12' }).retryAfterMs).toBe(12_000);
    expect(classifyMailgunError(apiError(503, 'Service Unavailable', ''), { ...ctx, retryAfter: '2' }).retryAfterMs).toBe(2_000);
    expect(classifyMailgunError(apiError(400, 'Bad Request', 'x'), { ...ctx, retryAfter: '12' }).retryAfterMs).toBeUndefined();
  });

  it('never repeats the key, even if an answer echoes it', () => {
    const err = classifyMailgunError(apiError(400, 'Bad Request', 'unknown key key-secret-1234'), ctx);
    expect(JSON.stringify({ ...err, message: err.message })).not.toContain('key-secret-1234');
  });

  it('the SDK\'s own refusal of the API root ("Mailgun Magnificent API") is a configuration error', () => {
    expect(classifyMailgunError(apiError(400, 'Incorrect url', 'Mailgun Magnificent API'), ctx)).toMatchObject({
      code: 'mailgun_wrong_url',
      retryable: false,
    });
  });

  it('anything that is not an APIError is a permanent SDK refusal', () => {
    expect(classifyMailgunError(new TypeError('boom'), ctx)).toMatchObject({ code: 'sdk_refused', retryable: false });
  });
});

describe('mailgun.js 14 error shapes (what the classifier relies on)', () => {
  it('reports a refused connection as status 400 with the axios code as message', async () => {
    const client = createMailgunClient({ apiKey: 'key-x', baseUrl: `http://127.0.0.1:${await refusingPort()}`, timeoutMs: 1000 });
    const raw = await client.domains.get('mg.tenant.example').catch((e: unknown) => e);
    expect(raw).toMatchObject({ type: 'MailgunAPIError', status: 400, message: 'ECONNREFUSED' });
  });

  it('reports a timeout as status 400 ECONNABORTED', async () => {
    const server = net.createServer(() => undefined); // accepts, never answers
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as net.AddressInfo;
    try {
      const client = createMailgunClient({ apiKey: 'key-x', baseUrl: `http://127.0.0.1:${port}`, timeoutMs: 200 });
      const raw = await client.domains.get('mg.tenant.example').catch((e: unknown) => e);
      expect(raw).toMatchObject({ type: 'MailgunAPIError', status: 400, message: 'ECONNABORTED' });
      expect(classifyMailgunError(raw, { ...ctx, timeoutMs: 200 })).toMatchObject({ code: 'ETIMEDOUT', retryable: true });
    } finally {
      server.close();
    }
  });

  it('reports an HTTP 400 without a reason phrase with its real status, which stays permanent', async () => {
    const server = net.createServer((socket) => {
      socket.once('data', () => {
        const body = JSON.stringify({ message: "Missing parameter 'to'." });
        socket.end(`HTTP/1.1 400 \r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\nconnection: close\r\n\r\n${body}`);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as net.AddressInfo;
    try {
      const client = createMailgunClient({ apiKey: 'key-x', baseUrl: `http://127.0.0.1:${port}`, timeoutMs: 1000 });
      const raw = await client.domains.get('mg.tenant.example').catch((e: unknown) => e);
      // axios's code takes the empty status text's place: it looks like a network code, but an answer came.
      expect(raw).toMatchObject({ type: 'MailgunAPIError', status: 400, message: 'ERR_BAD_REQUEST', details: "Missing parameter 'to'." });
      expect(classifyMailgunError(raw, ctx)).toMatchObject({ code: 'http_400', retryable: false });
    } finally {
      server.close();
    }
  });
});
