import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Mailroom, SETTLED, startMailroom, waitFor, waitForEmail } from './support/mailroom-harness';

/** Every file under a directory, recursively. */
function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = path.join(dir, d.name);
    return d.isDirectory() ? filesUnder(p) : [p];
  });
}

/** The needle, raw and in each of the three base64 alignments a MIME part could put it in. */
function forms(needle: string): Buffer[] {
  const raw = Buffer.from(needle);
  const b64 = [0, 1, 2].map((pad) =>
    Buffer.from(
      Buffer.concat([Buffer.alloc(pad, 0x20), raw])
        .toString('base64')
        .slice(4, -4),
    ),
  );
  return [raw, ...b64];
}

function filesHolding(dir: string, needle: string): string[] {
  return filesUnder(dir).filter((f) => {
    const bytes = fs.readFileSync(f);
    return forms(needle).some((n) => bytes.includes(n));
  });
}

/**
 * Content retention end to end, on the embedded defaults (SQLite and the file outbox under DATA_DIR):
 * once an email has been final for CONTENT_RETENTION_SECONDS, the worker's sweep deletes its body and
 * attachments everywhere under DATA_DIR, and the history keeps the record with the attachments' names.
 */
describe('content retention', () => {
  let m: Mailroom;
  beforeAll(async () => {
    m = await startMailroom({ CONTENT_RETENTION_SECONDS: '3', RETENTION_SWEEP_EVERY_MS: '200' });
    await m.call('PUT', '/v1/tenants/ret', { name: 'Ret', plan: 'free' });
    await m.call('PUT', '/v1/tenants/ret/email-settings', { mode: 'platform', senderName: 'Ret', replyTo: 'billing@ret.example' });
  });
  afterAll(() => m.stop());

  it('deletes body and attachments from the store, its files and the outbox; the history stays', async () => {
    const marker = `PURGE-ME-${randomBytes(6).toString('hex')}`;
    const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(5000), Buffer.from(marker), randomBytes(5000)]);
    const r = await m.call('POST', '/v1/tenants/ret/emails', {
      to: ['client@customer.example'],
      subject: 'Invoice R-1',
      text: `Text ${marker}-text`,
      html: `<p>Html ${marker}-html</p>`,
      attachments: [{ filename: 'R-1.pdf', contentType: 'application/pdf', content: pdf.toString('base64') }],
      document: { type: 'invoice', id: 'R-1' },
    });
    expect(r.status).toBe(202);
    const id = r.body.id;
    const sent = await waitForEmail(m, 'ret', id, SETTLED);
    expect(sent).toMatchObject({
      status: 'accepted',
      attachmentCount: 1,
      attachments: [{ filename: 'R-1.pdf', contentType: 'application/pdf', size: pdf.length }],
      finalAt: expect.any(String),
    });
    const eml = path.join(m.dataDir, 'outbox', `${id}.eml`);
    expect(fs.existsSync(eml)).toBe(true);
    expect(filesHolding(m.dataDir, marker).length).toBeGreaterThan(0);

    const purged = await waitForEmail(m, 'ret', id, (e) => e.contentPurgedAt !== undefined, 15_000);
    expect(Date.parse(purged.contentPurgedAt) - Date.parse(purged.finalAt)).toBeGreaterThanOrEqual(3000);
    expect(await m.api.deps.store.emails.getContent('ret', id)).toBeNull();
    expect(fs.existsSync(eml)).toBe(false);
    // The WAL is emptied after the purge; while another connection's checkpoint keeps it busy the store
    // tries again for a few seconds (sqlite-email-store.ts `checkpoint`).
    await waitFor(async () => filesHolding(m.dataDir, marker).length === 0, 'no file to hold the purged content', 10_000);
    expect(filesHolding(m.dataDir, `${marker}-html`)).toEqual([]);

    // The history is whole: status, recipients, attempts, timeline, document, attachment names and sizes.
    const { contentPurgedAt: _at, updatedAt: _u, ...before } = sent;
    expect(purged).toMatchObject(before);
    const listed = await m.call('GET', '/v1/tenants/ret/emails?documentId=R-1');
    expect(listed.body.items.map((e: { id: string }) => e.id)).toEqual([id]);
  }, 30_000);

  it('keeps the content of emails still waiting to be sent, however old', async () => {
    await m.api.deps.queue.pause(); // the worker (and its sweep) runs, but takes no job
    const id = (await m.call('POST', '/v1/tenants/ret/emails', { to: ['x@customer.example'], subject: 'waiting', text: 'keep me' })).body
      .id;
    await new Promise((r) => setTimeout(r, 4000)); // past the retention, a score of sweeps
    expect(await m.api.deps.store.emails.getContent('ret', id)).toMatchObject({ text: 'keep me' });
    await m.api.deps.queue.resume();
    const sent = await waitForEmail(m, 'ret', id, SETTLED);
    expect(sent.status).toBe('accepted');
    expect(sent.contentPurgedAt).toBeUndefined();
  }, 30_000);
});
