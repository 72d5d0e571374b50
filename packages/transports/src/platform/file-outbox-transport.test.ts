import { DeliveryError } from '@mailroom/domain';
import { parseMessage, samplePdfBytes } from '@mailroom/testkit';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { acmeInvoice } from '../../test/outgoing-message.fixture';
import { FileOutboxTransport } from './file-outbox-transport';

describe('FileOutboxTransport', () => {
  let root: string;
  beforeEach(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'mailroom-outbox-'));
  });
  afterEach(async () => {
    await fs.rm(root, { recursive: true, force: true });
  });

  it('writes <dir>/<emailId>.eml (creating the dir) as a parseable message, Bcc only in the result', async () => {
    const dir = path.join(root, 'data', 'outbox');
    const outbox = new FileOutboxTransport({ dir });
    const email = acmeInvoice({ bcc: [{ email: 'archivo@acme.test' }] });

    const result = await outbox.send(email);

    expect(outbox.kind).toBe('platform');
    expect(await fs.readdir(dir)).toEqual([`${email.emailId}.eml`]);
    const raw = await fs.readFile(path.join(dir, `${email.emailId}.eml`));
    const parsed = await parseMessage(raw);
    expect(parsed.messageId).toBe(email.messageId);
    expect(parsed.from?.value).toEqual([{ address: 'facturas@acme.test', name: 'Acme Facturación, S.L.' }]);
    expect(parsed.replyTo?.value[0].address).toBe('contabilidad@acme.test');
    expect(parsed.subject).toBe(email.subject);
    expect(parsed.headers.get('x-mailroom-email-id')).toBe(email.emailId);
    expect(parsed.bcc).toBeUndefined();
    expect(Buffer.compare(parsed.attachments[0].content, samplePdfBytes())).toBe(0);
    expect(raw.includes('\r\n')).toBe(true);

    expect(result.messageId).toBe(email.messageId);
    expect(result.recipients).toEqual([
      expect.objectContaining({ email: 'cliente@example.test', accepted: true, responseCode: 250 }),
      expect.objectContaining({ email: 'archivo@acme.test', accepted: true, responseCode: 250 }),
    ]);
  });

  it('a retry of the same email replaces its file and leaves no temporary files', async () => {
    const outbox = new FileOutboxTransport({ dir: root });
    const email = acmeInvoice();
    await outbox.send(email);
    await outbox.send({ ...email, subject: 'Factura F-2024/0042 (reenvío)' });

    expect(await fs.readdir(root)).toEqual([`${email.emailId}.eml`]);
    const parsed = await parseMessage(await fs.readFile(path.join(root, `${email.emailId}.eml`)));
    expect(parsed.subject).toBe('Factura F-2024/0042 (reenvío)');
  });

  it('refuses an email id that could name a file outside the outbox, permanently', async () => {
    const outbox = new FileOutboxTransport({ dir: path.join(root, 'outbox') });
    for (const emailId of ['../escape', 'a/b', '.hidden', '']) {
      await expect(outbox.send(acmeInvoice({ emailId }))).rejects.toMatchObject({
        name: 'DeliveryError',
        code: 'ECONFIG',
        retryable: false,
      });
    }
    await expect(fs.readdir(root)).resolves.toEqual([]);
  });

  it('an outbox it cannot create is a permanent failure with a hint for ops', async () => {
    const blocker = path.join(root, 'not-a-dir');
    await fs.writeFile(blocker, 'x');
    const outbox = new FileOutboxTransport({ dir: path.join(blocker, 'outbox') });
    const error = (await outbox.send(acmeInvoice()).catch((e: unknown) => e)) as DeliveryError;
    expect(error).toBeInstanceOf(DeliveryError);
    expect(error).toMatchObject({ code: 'ENOTDIR', retryable: false });
    expect(error.hint).toMatch(/DATA_DIR/);
    await expect(outbox.verify()).rejects.toMatchObject({ code: 'ENOTDIR' });
  });
});
