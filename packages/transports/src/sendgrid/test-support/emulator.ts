import { sendgridEvents, startSendgridEmulator } from '@mailroom/testkit';
import type { ProviderEmulator } from '../../../test/provider-emulator';

const KEY = 'SG.generic-test.0123456789abcdef';

/** SendGrid's Mail Send API and signed Event Webhook, for the generic provider tests. */
const emulator: ProviderEmulator = {
  async start() {
    const sg = await startSendgridEmulator({ apiKeys: [KEY] });
    const mailOf = (emailId: string) => sg.sent.find((s) => s.body.custom_args?.mailroom_email_id === emailId);
    return {
      env: { SENDGRID_API_URL: sg.url },
      settingsPart: (fromAddress) => ({ name: 'sendgrid', fromAddress, privateApiKey: KEY }),
      recipientsOf: (emailId) => {
        const mail = mailOf(emailId);
        return mail && sg.targetsOf(mail).map((t) => t.email);
      },
      async deliver(webhookUrl, emailId, recipient) {
        const target = sg.targetsOf(mailOf(emailId)!).find((t) => t.email === recipient)!;
        return (await sg.postEvents(webhookUrl, [sendgridEvents.delivered(target)])).status;
      },
      close: () => sg.close(),
    };
  },
};
export default emulator;
