import { mailjetEvents, mailjetEventTargets, postEvents, startMailjetEmulator } from '@mailroom/testkit';
import type { ProviderEmulator } from '../../../test/provider-emulator';

const PAIR = { public: 'mj-generic-public-0001', private: 'mj-generic-private-0001' };

/** Mailjet's Send API v3.1 and its event callbacks (behind the Basic credentials Mailroom registered), for the generic provider tests. */
const emulator: ProviderEmulator = {
  async start() {
    const mj = await startMailjetEmulator({ keys: [PAIR] });
    const messageOf = (emailId: string) => mj.sent.find((s) => s.message.CustomID === emailId);
    return {
      env: { MAILJET_API_URL: mj.url },
      settingsPart: (fromAddress) => ({ name: 'mailjet', fromAddress, privateApiKey: PAIR.private, publicApiKey: PAIR.public }),
      recipientsOf: (emailId) => {
        const message = messageOf(emailId);
        return message && mailjetEventTargets(message).map((t) => t.email);
      },
      async deliver(webhookUrl, emailId, recipient) {
        const target = mailjetEventTargets(messageOf(emailId)!).find((t) => t.email === recipient)!;
        // Mailjet posts to the callback URL it was given, Basic credentials included.
        const callback = mj.callbacks.find((c) => c.EventType === 'sent' && stripCredentials(c.Url) === webhookUrl);
        if (!callback) throw new Error(`no Mailjet callback is registered for ${webhookUrl}`);
        const [posted] = await postEvents(callback.Url, [mailjetEvents.sent(target)]);
        return posted.status;
      },
      close: () => mj.close(),
    };
  },
};
export default emulator;

function stripCredentials(url: string): string {
  const u = new URL(url);
  u.username = '';
  u.password = '';
  return u.toString();
}
