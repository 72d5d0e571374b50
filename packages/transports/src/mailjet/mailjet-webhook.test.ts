// The testkit is a sibling workspace package that transports does not depend on at run time.
import { MailjetEventTarget, mailjetEvents, postEvents, stringifyWithRawBigints } from '../../../testkit/src/emulators/mailjet';
import type { IncomingWebhook } from '../webhook';
import { parseMailjetEvents, verifyMailjetWebhook } from './mailjet-webhook';
import { MailjetWebhookPayloadError } from './mailjet-webhook-payload-error';
import { startWebhookReceiver, WebhookReceiver } from '../../test/webhook-receiver';

const CREDS = { user: 'mailroom-t_a', password: 'Zm9vYmFyLXNlY3JldC1wYXNzd29yZA' };

const ours: MailjetEventTarget = {
  email: 'Client@Example.com',
  messageGuid: 'cb927469-36fd-4c02-bce4-0d199929a207',
  messageId: '70650219165027410',
  customId: 'em_01',
  payload: JSON.stringify({ emailId: 'em_01', tenantId: 't_a' }),
};
const at = new Date('2026-03-01T10:00:00Z');

describe('Mailjet webhooks', () => {
  let receiver: WebhookReceiver;
  beforeAll(async () => {
    receiver = await startWebhookReceiver('/webhooks/mailjet/t_a');
  });
  afterAll(() => receiver.close());

  describe('verifyMailjetWebhook', () => {
    const withAuth = (authorization?: string): IncomingWebhook => ({ rawBody: Buffer.from('{}'), headers: { authorization } });
    const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

    it('accepts the credentials Mailjet takes from the callback URL', async () => {
      const credentialed = new URL(receiver.url);
      credentialed.username = CREDS.user;
      credentialed.password = CREDS.password;
      const before = receiver.posts.length;
      const [posted] = await postEvents(credentialed.toString(), [mailjetEvents.sent(ours, { at })]);
      expect(posted.status).toBe(200);
      const incoming = receiver.posts[before];
      expect(verifyMailjetWebhook(incoming, CREDS)).toEqual({ ok: true });
    });

    it('refuses a wrong password or user, missing credentials, and a tenant without credentials', () => {
      expect(verifyMailjetWebhook(withAuth(basic(CREDS.user, CREDS.password + 'x')), CREDS)).toMatchObject({
        ok: false,
        reason: 'bad-signature',
      });
      expect(verifyMailjetWebhook(withAuth(basic('mailroom-t_b', CREDS.password)), CREDS)).toMatchObject({
        ok: false,
        reason: 'bad-signature',
      });
      expect(verifyMailjetWebhook(withAuth(basic('', '')), CREDS)).toMatchObject({ ok: false, reason: 'bad-signature' });
      expect(verifyMailjetWebhook(withAuth(undefined), CREDS)).toMatchObject({ ok: false, reason: 'unsigned' });
      expect(verifyMailjetWebhook(withAuth('Bearer abc'), CREDS)).toMatchObject({ ok: false, reason: 'malformed' });
      expect(verifyMailjetWebhook(withAuth(`Basic ${Buffer.from('no-colon').toString('base64')}`), CREDS)).toMatchObject({
        ok: false,
        reason: 'malformed',
      });
      expect(verifyMailjetWebhook(withAuth(basic(CREDS.user, CREDS.password)), undefined)).toMatchObject({ ok: false, reason: 'no-key' });
    });
  });

  describe('parseMailjetEvents', () => {
    it('reads a single bare object, as an ungrouped callback posts it', async () => {
      const before = receiver.posts.length;
      await postEvents(receiver.url, [mailjetEvents.sent(ours, { at })], { credentials: CREDS });
      const [event] = parseMailjetEvents(receiver.posts[before].rawBody);
      expect(event).toEqual({
        type: 'delivered',
        emailId: 'em_01',
        tenantId: 't_a',
        recipient: 'client@example.com',
        at: '2026-03-01T10:00:00.000Z',
        key: `mailjet:sent:${ours.messageGuid}:client@example.com:${at.getTime() / 1000}`,
        providerMessageId: ours.messageGuid,
        reason: 'sent (250 2.0.0 OK 1433333948 fa5si855896wjc.199 - gsmtp)',
        responseCode: 250,
        statusCode: '2.0.0',
      });
    });

    it('reads a grouped array of mixed events posted at once', async () => {
      const before = receiver.posts.length;
      const events = [
        mailjetEvents.sent(ours, { at }),
        mailjetEvents.open(ours, { at }),
        mailjetEvents.open(ours, { at: new Date(at.getTime() + 1000), agent: 'Mozilla/5.0' }),
        mailjetEvents.click(ours, { at, url: 'https://pay.example.com/inv/1' }),
        mailjetEvents.bounce(ours, { at, hard: true }),
        mailjetEvents.bounce(ours, {
          at: new Date(at.getTime() + 60_000),
          hard: false,
          error: 'greylisted',
          comment: '451 4.7.1 Greylisted, try again later',
        }),
        mailjetEvents.blocked(ours, { at }),
        mailjetEvents.spam(ours, { at }),
        mailjetEvents.unsub(ours, { at }),
      ];
      const [posted] = await postEvents(receiver.url, events, { grouped: true, credentials: CREDS });
      expect(receiver.posts.length).toBe(before + 1);
      expect(posted.rawBody.startsWith('[')).toBe(true);
      const parsed = parseMailjetEvents(receiver.posts[before].rawBody);
      expect(parsed.map((e) => e.type)).toEqual([
        'delivered',
        'opened',
        'opened',
        'clicked',
        'bounced',
        'bounced',
        'dropped',
        'complained',
        'unsubscribed',
      ]);
      const [, human, machine, click, hard, soft, blocked, spam] = parsed;
      expect(human.machine).toBe(false);
      expect(machine.machine).toBe(true);
      expect(human.key).not.toBe(machine.key);
      expect(click).toMatchObject({ url: 'https://pay.example.com/inv/1', machine: false });
      expect(click.key.endsWith(':https://pay.example.com/inv/1')).toBe(true);
      expect(hard).toMatchObject({ bounceType: 'hard', responseCode: 550, statusCode: '5.1.1' });
      expect(hard.reason).toMatch(/^recipient: user unknown \(550 5\.1\.1/);
      expect(soft).toMatchObject({ bounceType: 'soft', responseCode: 451, statusCode: '4.7.1' });
      expect(blocked).toMatchObject({ type: 'dropped', reason: 'recipient: preblocked' });
      expect(spam.reason).toContain('JMRPP');
      for (const e of parsed) expect(e).toMatchObject({ emailId: 'em_01', tenantId: 't_a', recipient: 'client@example.com' });
      expect(new Set(parsed.map((e) => e.key)).size).toBe(parsed.length);
    });

    it("puts the server's plain reply code in responseCode and only an enhanced code (d.d.d) in statusCode", () => {
      const [sent, bounced, blocked] = parseMailjetEvents(
        Buffer.from(
          stringifyWithRawBigints([
            mailjetEvents.sent(ours, { at, smtpReply: 'sent (250 OK queued as 4Xy7Zz)' }),
            mailjetEvents.bounce(ours, { at, hard: true, comment: '550 Requested action not taken: mailbox unavailable' }),
            { ...mailjetEvents.blocked(ours, { at }), comment: 'greylisted (451 Try again later)' },
          ]),
        ),
      );
      expect(sent).toMatchObject({ type: 'delivered', responseCode: 250, reason: 'sent (250 OK queued as 4Xy7Zz)' });
      expect(bounced).toMatchObject({ type: 'bounced', responseCode: 550 });
      expect(blocked).toMatchObject({ type: 'dropped', responseCode: 451 });
      for (const e of [sent, bounced, blocked]) expect(e.statusCode).toBeUndefined();
      // Mailjet's own classification (error_related_to: error) is never taken for a code.
      const [noReply] = parseMailjetEvents(Buffer.from(stringifyWithRawBigints(mailjetEvents.blocked(ours, { at }))));
      expect(noReply.responseCode).toBeUndefined();
      expect(noReply.statusCode).toBeUndefined();
    });

    it('keeps a bigint MessageID exact: 19421777835146490 and …491 stay two events', async () => {
      const noGuid = (messageId: bigint) => {
        const e = mailjetEvents.sent({ ...ours, messageId }, { at });
        delete (e as Partial<typeof e>).Message_GUID;
        return e;
      };
      const before = receiver.posts.length;
      await postEvents(receiver.url, [noGuid(19421777835146490n), noGuid(19421777835146491n)], { grouped: true });
      const raw = receiver.posts[before].rawBody.toString();
      expect(raw).toContain('"MessageID":19421777835146490,');
      // What a plain JSON.parse would have made of them: digits lost (…491 reads back as …492).
      const naive = (JSON.parse(raw) as { MessageID: number }[]).map((e) => String(e.MessageID));
      expect(naive).not.toEqual(['19421777835146490', '19421777835146491']);
      const keys = parseMailjetEvents(receiver.posts[before].rawBody).map((e) => e.key);
      expect(keys).toEqual([
        `mailjet:sent:19421777835146490:client@example.com:${at.getTime() / 1000}`,
        `mailjet:sent:19421777835146491:client@example.com:${at.getTime() / 1000}`,
      ]);
    });

    it('finds our ids in Payload when CustomID is empty, and leaves foreign events without them', () => {
      const viaPayload = parseMailjetEvents(
        Buffer.from(
          JSON.stringify(mailjetEvents.sent({ ...ours, messageId: 1n, customId: '' }, { at }), (_k, v: unknown) =>
            typeof v === 'bigint' ? Number(v) : v,
          ),
        ),
      );
      expect(viaPayload[0]).toMatchObject({ emailId: 'em_01', tenantId: 't_a' });
      const foreign = parseMailjetEvents(
        Buffer.from(
          JSON.stringify({
            event: 'open',
            time: 1433103519,
            MessageID: 1,
            email: 'a@b.c',
            CustomID: '',
            Payload: 'campaign-7',
            agent: 'Thunderbird',
          }),
        ),
      );
      expect(foreign[0].emailId).toBeUndefined();
      expect(foreign[0].tenantId).toBeUndefined();
    });

    it('skips event types it does not track and refuses malformed bodies with a clear error', () => {
      expect(parseMailjetEvents(Buffer.from('{"event":"newtype","time":1,"email":"a@b.c"}'))).toEqual([]);
      const bad = [
        '',
        'not json',
        '42',
        '[1]',
        '{"time":1,"email":"a@b.c"}',
        '{"event":"open","email":"a@b.c"}',
        '{"event":"open","time":1}',
        '{"event":"open","time":1,"email":"a@b.c","__proto__":{"x":1}}',
      ];
      for (const body of bad) {
        expect(() => parseMailjetEvents(Buffer.from(body))).toThrow(MailjetWebhookPayloadError);
      }
      expect(() => parseMailjetEvents(Buffer.from('{"event":"open","email":"a@b.c"}'))).toThrow(/no valid "time"/);
    });
  });
});
