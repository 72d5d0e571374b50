import { createHash, randomBytes } from 'node:crypto';
import { enqueueEmailSchema } from '@mailroom/domain';
import { attachmentInfo, requestHash } from './new-email-record';

/** The fingerprint as it was first defined: records stored before must keep matching their replays. */
const original = (input: unknown) => createHash('sha256').update(JSON.stringify(input)).digest('base64url');

const pdf = (n: number) => randomBytes(n).toString('base64');
const email = (over: Record<string, unknown>) =>
  enqueueEmailSchema.parse({ to: ['client@customer.example'], subject: 'Invoice F-1', text: 'Attached.', ...over });

describe('requestHash', () => {
  it('is sha256 of the JSON of the request, whatever the attachments look like', () => {
    const inputs = [
      email({}),
      email({ attachments: [{ filename: 'a.pdf', contentType: 'application/pdf', content: pdf(30 * 1024) }] }),
      email({
        subject: 'Factura nº 7 😀 "quoted" \\ back',
        html: '<p>é</p>',
        attachments: [
          { filename: 'a.pdf', content: pdf(10) },
          { filename: 'b "x".pdf', contentType: 'application/pdf', content: pdf(3000) },
          { filename: 'c.pdf', content: 'QUJD' },
        ],
        metadata: { total: 121.5, paid: false, note: null },
      }),
      // Line breaks inside the base64 (escaped in JSON), and text that happens to look like the placeholder.
      email({ attachments: [{ filename: 'a.pdf', content: `${pdf(60)}\r\n${pdf(60)}` }] }),
      email({ text: 'mailroom-attachment-', attachments: [{ filename: 'a.pdf', content: pdf(100) }] }),
    ];
    for (const input of inputs) expect(requestHash(input)).toBe(original(input));
    expect(requestHash(inputs[1])).not.toBe(requestHash({ ...inputs[1], subject: 'Invoice F-2' }));
  });

  it('counts the attachments’ decoded bytes without decoding them, with or without line breaks and padding', () => {
    for (const content of [pdf(1), pdf(2), pdf(3), pdf(30 * 1024), `${pdf(57)}\r\n${pdf(10)}`, 'QUJDRA', 'QUJDRA==']) {
      const [info] = attachmentInfo([{ filename: 'a.pdf', contentType: 'application/pdf', content }]);
      expect(info.size).toBe(Buffer.from(content, 'base64').length);
    }
  });
});
