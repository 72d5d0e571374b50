import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { HttpError } from '../http/http-error';
import { readBatchBody } from '../use-cases/batch-items';
import { BatchBodyReader, createBatchBodyReader } from './batch-body-reader';

const MAX = 64 * 1024;
const PDF = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(20 * 1024, 7)]);
const item = (key: string, over: Record<string, unknown> = {}) => ({
  idempotencyKey: key,
  to: [{ email: `${key}@customer.example`, name: 'Peña Ñúñez' }],
  subject: `Factura ${key}`,
  text: 'Adjuntamos su factura.',
  attachments: [{ filename: `${key}.pdf`, contentType: 'application/pdf', content: PDF.toString('base64') }],
  ...over,
});
const bodyOf = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value));

describe('batch bodies read on a thread (BATCH_READ_THREADS)', () => {
  const errors: unknown[] = [];
  const logger = pino({ level: 'error' }, { write: (line: string) => void errors.push(JSON.parse(line)) });
  let reader: BatchBodyReader;
  beforeAll(() => {
    reader = createBatchBodyReader({ threads: 1, maxAttachmentBytes: MAX, logger });
  });
  afterAll(() => reader.close());

  it('reads what the event loop would: good items with their attachments as bytes, bad ones with their errors, in order', async () => {
    const batch = {
      items: [
        item('a'),
        item('b', { to: [] }),
        item('a'),
        item('c', { attachments: [{ filename: 'big.pdf', content: Buffer.alloc(MAX + 1).toString('base64') }] }),
        item('d'),
      ],
    };
    // The first body is copied (the thread has not answered yet), the next ones move to it: both read alike.
    for (let round = 0; round < 3; round++) {
      const body = bodyOf(batch);
      const expected = readBatchBody(Buffer.from(body), MAX);
      const reading = await reader.read(body);
      expect(reading).toEqual(expected);
      if (reading.kind !== 'items') throw new Error(reading.kind);
      expect(reading.valid.map((v) => v.index)).toEqual([0, 4]);
      expect(reading.errors.map((e) => [e.index, e.problem.code])).toEqual([
        [1, 'invalid_request'],
        [2, 'idempotency_key_repeated'],
        [3, 'attachments_too_large'],
      ]);
      const pdf = reading.valid[0].attachments[0].content;
      expect(Buffer.isBuffer(pdf)).toBe(true);
      expect(pdf.equals(PDF)).toBe(true);
      expect(reading.valid[0].fields.to).toEqual([{ email: 'a@customer.example', name: 'Peña Ñúñez' }]);
    }
    expect(errors).toEqual([]);
  });

  it('answers a body that is not JSON, an envelope it refuses, and no body at all as the event loop does', async () => {
    for (const body of [bodyOf('{"items": ['), bodyOf('"a string"'), bodyOf({ items: [] }), bodyOf(''), undefined]) {
      expect(await reader.read(body)).toEqual(readBatchBody(body && Buffer.from(body), MAX));
    }
    expect(await reader.read(bodyOf('{"items": ['))).toMatchObject({ kind: 'malformed', problem: { status: 400, code: 'malformed_json' } });
    expect(await reader.read(bodyOf({ items: Array.from({ length: 501 }, (_, i) => ({ i })) }))).toMatchObject({
      kind: 'refused',
      problem: { status: 413, code: 'too_many_items', details: { limit: 500, items: 501 } },
    });
  });
});

describe('a batch-body thread that fails', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'batch-thread-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('is dropped: a body it was copied is read on the event loop, one that moved to it answers 503, and the next ones are read here', async () => {
    // A thread that answers its first body (as a real one would, with a made-up reading) and dies on the second.
    const entry = path.join(dir, 'dies-on-second.js');
    fs.writeFileSync(
      entry,
      `const { parentPort } = require('node:worker_threads');
let seen = 0;
parentPort.on('message', ({ id }) => {
  if (++seen === 2) process.exit(3);
  parentPort.postMessage({ id, reading: { kind: 'refused', problem: { status: 400, code: 'from_the_thread', message: 'x' } } });
});`,
    );
    const logged: { msg: string; reason: string }[] = [];
    const logger = pino({ level: 'error' }, { write: (line: string) => void logged.push(JSON.parse(line)) });
    const reader = createBatchBodyReader({ threads: 1, maxAttachmentBytes: MAX, logger, entry });
    try {
      const body = () => bodyOf({ items: [item('x')] });
      expect(await reader.read(body())).toMatchObject({ kind: 'refused', problem: { code: 'from_the_thread' } });
      const lost = await reader.read(body()).catch((e: unknown) => e);
      expect(lost).toBeInstanceOf(HttpError);
      expect(lost).toMatchObject({ status: 503, code: 'batch_not_read' });
      expect(logged).toMatchObject([{ msg: expect.stringContaining('batch-body thread failed'), reason: 'exited with 3' }]);
      // No thread left: read on the event loop, as readBatchBody reads it.
      expect(await reader.read(body())).toEqual(readBatchBody(body(), MAX));
    } finally {
      await reader.close();
    }
  });

  it('that cannot start loses nothing: the bodies it was given are read on the event loop', async () => {
    const entry = path.join(dir, 'cannot-start.js');
    fs.writeFileSync(entry, `throw new Error('no loader here');`);
    const logged: { reason: string }[] = [];
    const logger = pino({ level: 'error' }, { write: (line: string) => void logged.push(JSON.parse(line)) });
    const reader = createBatchBodyReader({ threads: 1, maxAttachmentBytes: MAX, logger, entry });
    try {
      const body = bodyOf({ items: [item('y')] });
      const reading = await reader.read(body);
      expect(reading).toEqual(readBatchBody(body, MAX));
      expect(reading).toMatchObject({ kind: 'items', valid: [{ idempotencyKey: 'y' }] });
      expect(logged[0].reason).toContain('no loader here');
    } finally {
      await reader.close();
    }
  });
});
