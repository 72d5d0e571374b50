import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { CALLBACK_SIGNATURE_PATTERN, callbackHeaders, signCallback } from './callback-signature';
import { CALLBACK_MESSAGE_ID_PATTERN, callbackMessageId } from './callback-message-id';

const whsec = (key: Buffer) => `whsec_${key.toString('base64')}`;

describe('Standard Webhooks signatures', () => {
  it('matches the specification example', () => {
    // The example of the Standard Webhooks specification (and Svix's documentation).
    const key = Buffer.from('MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'base64');
    expect(signCallback([key], 'msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, '{"test": 2432232314}')).toBe(
      'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
    );
  });

  it("the standardwebhooks package's verifier accepts our headers", () => {
    const key = randomBytes(24);
    const body = JSON.stringify({ type: 'email.accepted', timestamp: new Date().toISOString(), data: { emailId: 'em_1', note: 'ñ €' } });
    const headers = callbackHeaders([key], 'msg_1', new Date(), body);
    expect(new Webhook(whsec(key)).verify(body, { ...headers })).toEqual(JSON.parse(body));
    expect(() => new Webhook(whsec(randomBytes(24))).verify(body, { ...headers })).toThrow(/No matching signature/);
    expect(() => new Webhook(whsec(key)).verify(body.replace('em_1', 'em_2'), { ...headers })).toThrow();
  });

  it('during a rotation every secret signs, space-separated, and each verifies on its own', () => {
    const [next, current] = [randomBytes(32), randomBytes(24)];
    const body = '{"type":"email.delivered"}';
    const headers = callbackHeaders([next, current], 'msg_2', new Date(), body);
    expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/=]+ v1,[A-Za-z0-9+/=]+$/);
    expect(headers['webhook-signature']).toMatch(CALLBACK_SIGNATURE_PATTERN);
    expect(callbackHeaders([current], 'msg_2', new Date(), body)['webhook-signature']).toMatch(CALLBACK_SIGNATURE_PATTERN);
    expect(new Webhook(whsec(next)).verify(body, { ...headers })).toEqual({ type: 'email.delivered' });
    expect(new Webhook(whsec(current)).verify(body, { ...headers })).toEqual({ type: 'email.delivered' });
  });

  it('the timestamp is in seconds; a stale one is refused by the verifier', () => {
    const key = randomBytes(24);
    const old = callbackHeaders([key], 'msg_3', new Date(Date.now() - 10 * 60_000), '{}');
    expect(old['webhook-timestamp']).toMatch(/^\d{10}$/);
    expect(() => new Webhook(whsec(key)).verify('{}', { ...old })).toThrow(/too old/);
  });
});

describe('webhook ids', () => {
  it('are stable per event, distinct between events, and valid job ids', () => {
    const id = callbackMessageId('email:em_1', 'accepted:a@x.example:1');
    expect(id).toBe(callbackMessageId('email:em_1', 'accepted:a@x.example:1'));
    expect(id).toMatch(CALLBACK_MESSAGE_ID_PATTERN);
    expect(id).not.toBe(callbackMessageId('email:em_1', 'delivered:a@x.example:1'));
    expect(id).not.toBe(callbackMessageId('email:em_2', 'accepted:a@x.example:1'));
    expect(id).toMatch(/^msg_[0-9a-f]{32}$/);
  });
});
