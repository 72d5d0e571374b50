import fc from 'fast-check';
import MailComposer from 'nodemailer/lib/mail-composer';
import DataStream from 'nodemailer/lib/smtp-connection/data-stream';
import { randomBytes } from 'node:crypto';

// nodemailer's own encoder, taken before anything in this file installs Mailroom's (jest gives each
// test file its own module registry, so this is the prototype as nodemailer ships it).
const stock = { transform: DataStream.prototype._transform, flush: DataStream.prototype._flush };
class StockDataStream extends DataStream {}
StockDataStream.prototype._transform = stock.transform;
StockDataStream.prototype._flush = stock.flush;

import { acmeInvoice } from '../../test/outgoing-message.fixture';
import { FAST_TIMEOUTS, LOCAL_SMTP_HOSTS, smtpTestBench } from '../../test/smtp-test-bench';
import { HOLD_BYTES, installSmtpDataEncoder, smtpDataEncoderInstalled } from './smtp-data-encoder';
import { SmtpTransport } from './smtp-transport';
import { toNodemailerMessage } from './to-nodemailer-message';

type Counted = DataStream & { inByteCount: number; outByteCount: number };

/** Writes the pieces through a DataStream; what came out, piece by piece, and its byte counts. */
async function encode(stream: Counted, pieces: Buffer[]) {
  const out: Buffer[] = [];
  stream.on('data', (b: Buffer) => out.push(b));
  const ended = new Promise((resolve) => stream.on('end', resolve));
  for (const piece of pieces) stream.write(piece);
  stream.end();
  await ended;
  return { bytes: Buffer.concat(out), pushes: out.length, inByteCount: stream.inByteCount, outByteCount: stream.outByteCount };
}

/** A message's bytes cut at the given offsets. */
function cut(bytes: Buffer, offsets: number[]): Buffer[] {
  const at = [...new Set(offsets.map((o) => o % (bytes.length + 1)))].sort((a, b) => a - b);
  const pieces: Buffer[] = [];
  let from = 0;
  for (const o of [...at, bytes.length]) {
    if (o > from) pieces.push(bytes.subarray(from, o));
    from = Math.max(from, o);
  }
  return pieces;
}

describe("Mailroom's SMTP DATA encoder", () => {
  beforeAll(() => installSmtpDataEncoder());

  it("is installed on nodemailer's DataStream, and only once", () => {
    expect(smtpDataEncoderInstalled()).toBe(true);
    const installed = DataStream.prototype._transform;
    installSmtpDataEncoder();
    expect(DataStream.prototype._transform).toBe(installed);
    expect(installed).not.toBe(stock.transform);
  });

  it("writes exactly nodemailer's bytes and counts for any message cut into any pieces (bare CR, bare LF, dots)", async () => {
    // Line breaks, dots and bare CRs are what the rules are about, so they are most of the alphabet.
    const byte = fc.constantFrom(0x0d, 0x0a, 0x2e, 0x41, 0x20);
    await fc.assert(
      fc.asyncProperty(fc.array(byte, { maxLength: 160 }), fc.array(fc.nat(), { maxLength: 6 }), async (bytes, offsets) => {
        const message = Buffer.from(bytes);
        const pieces = cut(message, offsets);
        const ours = await encode(new DataStream() as Counted, pieces);
        const theirs = await encode(new StockDataStream() as Counted, pieces);
        expect(ours.bytes.toString('latin1')).toBe(theirs.bytes.toString('latin1'));
        expect([ours.inByteCount, ours.outByteCount]).toEqual([theirs.inByteCount, theirs.outByteCount]);
      }),
      { numRuns: 3000 },
    );
  });

  it('matches nodemailer on a whole invoice as its MIME stream hands it over, and writes it in one piece', async () => {
    const pdf = { filename: 'f.pdf', contentType: 'application/pdf', content: randomBytes(30 * 1024) };
    const composed = await new MailComposer(toNodemailerMessage(acmeInvoice({ attachments: [pdf] }))).compile().build();
    const pieces = cut(composed, [4096, 8192, 12288, 16384, 20480, 24576]);
    const ours = await encode(new DataStream() as Counted, pieces);
    const theirs = await encode(new StockDataStream() as Counted, pieces);
    expect(ours.bytes.equals(theirs.bytes)).toBe(true);
    expect(theirs.pushes).toBe(pieces.length + 1);
    expect(ours.pushes).toBe(1);
  });

  it(`writes a large message in pieces of at least ${HOLD_BYTES / 1024} KiB, not all at its end`, async () => {
    const message = Buffer.from(
      randomBytes(300 * 1024)
        .toString('base64')
        .replace(/.{76}/g, '$&\r\n'),
    );
    const pieces = cut(
      message,
      Array.from({ length: 100 }, (_, k) => k * 4096),
    );
    const ours = await encode(new DataStream() as Counted, pieces);
    const theirs = await encode(new StockDataStream() as Counted, pieces);
    expect(ours.bytes.equals(theirs.bytes)).toBe(true);
    expect(ours.pushes).toBeGreaterThanOrEqual(Math.floor(message.length / HOLD_BYTES));
    expect(ours.pushes).toBeLessThanOrEqual(Math.ceil(message.length / HOLD_BYTES) + 1);
  });

  describe('through a real SMTP server', () => {
    const bench = smtpTestBench();
    const USERS = { 'facturas@acme.test': 'app-pass-abcd-efgh' };

    it('delivers lines that start with a dot, a lone dot, bare CR and LF, and a PDF larger than one held piece, intact', async () => {
      const s = await bench.sink({ tls: 'starttls', auth: { users: USERS } });
      const transport = bench.transport(
        new SmtpTransport({
          host: s.host,
          port: s.port,
          tls: false,
          username: 'facturas@acme.test',
          password: USERS['facturas@acme.test'],
          timeouts: FAST_TIMEOUTS,
          hostGuard: LOCAL_SMTP_HOSTS,
        }),
      );
      const pdf = randomBytes(200 * 1024);
      const text = '.leading dot\n.\nmiddle\rbare CR\r\n..two dots\nend';
      const email = acmeInvoice({ text, attachments: [{ filename: 'big.pdf', contentType: 'application/pdf', content: pdf }] });
      await transport.send(email);
      // The second invoice (smaller than one held piece) leaves nodemailer's connection in one write.
      const pushes = jest.spyOn(DataStream.prototype, 'push');
      await transport.send(acmeInvoice({ messageId: '<second@acme.test>' }));
      expect(pushes.mock.calls.filter(([bytes]) => bytes !== null)).toHaveLength(1);
      pushes.mockRestore();

      const [received, second] = await s.waitForMessages(2);
      expect(received.parsed.text).toBe('.leading dot\n.\nmiddle\nbare CR\n..two dots\nend');
      expect(received.parsed.attachments[0].content.equals(pdf)).toBe(true);
      expect(second.parsed.messageId).toBe('<second@acme.test>');
    });
  });
});
