import { mailgunEvents, startMailgunEmulator } from '@mailroom/testkit';
import type { ProviderEmulator } from '../../../test/provider-emulator';

const KEY = 'key-generic-test-0123456789';
const DOMAIN = 'mg.generic.example';

/** Mailgun (US region) with one sending domain and its HMAC-signed webhooks, for the generic provider tests. */
const emulator: ProviderEmulator = {
  async start() {
    const mg = await startMailgunEmulator({ region: 'us', keys: [KEY], domains: [DOMAIN] });
    const messageOf = (emailId: string) => mg.sent.find((s) => s.fields.some(([k, v]) => k === 'v:mailroom_email_id' && v === emailId));
    return {
      env: { MAILGUN_API_URL_US: mg.url },
      settingsPart: (fromAddress) => ({ name: 'mailgun', fromAddress, privateApiKey: KEY, region: 'us', domain: DOMAIN }),
      recipientsOf: (emailId) => {
        const message = messageOf(emailId);
        return message && mg.targetsOf(message).map((t) => t.recipient);
      },
      async deliver(webhookUrl, emailId, recipient) {
        const target = mg.targetsOf(messageOf(emailId)!).find((t) => t.recipient === recipient)!;
        return (await mg.postEvent(webhookUrl, mailgunEvents.delivered(target))).status;
      },
      close: () => mg.close(),
    };
  },
};
export default emulator;
