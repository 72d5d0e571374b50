import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** A segment takes appends until it holds this much, or is this old; then the next one starts. */
const SEGMENT_MAX_BYTES = 64 * 1024 * 1024;
const SEGMENT_MAX_AGE_MS = 10 * 60 * 1000;
/**
 * A segment started this long ago (its name says when: appends stop after SEGMENT_MAX_AGE_MS), that no
 * row names any more, is deleted by the purge's sweep.
 */
const SEGMENT_IDLE_MS = 60 * 60 * 1000;
/** Segments kept open for reading. */
const READERS = 64;

/**
 * The bytes of attachments, beside the SQLite file instead of inside it (decision 0042): appended to
 * segment files under `<database>.content/`, each process appending to its own, a row naming its
 * bytes as `<segment>:<offset>:<length>`. A 30 KB BLOB in the row was eight overflow pages written to
 * the WAL and again to the database at checkpoint, inside the IMMEDIATE transaction every other
 * process's write waits for; a file per attachment cost a file creation (an inode, a directory entry,
 * the filesystem's journal) per email. An append is one write() on an open file, before the
 * transaction starts; a send reads it back with one pread().
 *
 * Retention (decision 0016), as with SQLite's secure_delete: the bytes of a purged or removed email
 * are overwritten with zeros in place and flushed to the disk (fdatasync); a segment is deleted once
 * no row names it and it stopped taking appends an hour ago. Like secure_delete, this cannot reach copies
 * that a copy-on-write filesystem or an SSD's remapping keeps. A process that dies between its append
 * and its commit leaves those bytes unnamed in the segment until the segment goes.
 */
export class SqliteContentSegments {
  private writer?: { name: string; fd: number; size: number; openedAt: number };
  private readonly readers = new Map<string, number>();
  private made = false;

  constructor(readonly dir: string) {}

  /** Appends the bytes to this process's segment; answers the reference a row keeps. */
  append(content: Buffer): string {
    const w = this.writable();
    let written = 0;
    while (written < content.length) written += fs.writeSync(w.fd, content, written, content.length - written, w.size + written);
    const ref = `${w.name}:${w.size}:${content.length}`;
    w.size += content.length;
    return ref;
  }

  read(ref: string): Buffer {
    const { segment, offset, length } = parseRef(ref);
    const fd = this.reader(segment);
    const out = Buffer.allocUnsafe(length);
    let got = 0;
    while (got < length) {
      const n = fs.readSync(fd, out, got, length - got, offset + got);
      if (n === 0) throw new Error(`attachment bytes ${ref} end early: the segment is shorter than its row says`);
      got += n;
    }
    return out;
  }

  /** Overwrites the bytes with zeros (not flushed yet: `flush` does that). */
  zero(refs: readonly string[]): void {
    for (const ref of refs) {
      const { segment, offset, length } = parseRef(ref);
      const fd = this.openOrNull(segment, 'r+');
      if (fd === null) continue;
      try {
        fs.writeSync(fd, Buffer.alloc(length), 0, length, offset);
      } finally {
        fs.closeSync(fd);
      }
    }
  }

  /** Flushes the segments these bytes are in to the disk. */
  flush(refs: readonly string[]): void {
    for (const segment of new Set(refs.map((r) => parseRef(r).segment))) {
      const fd = this.openOrNull(segment, 'r+');
      if (fd === null) continue;
      try {
        fs.fdatasyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
    }
  }

  /** Zeros and flushes. */
  erase(refs: readonly string[]): void {
    if (refs.length === 0) return;
    this.zero(refs);
    this.flush(refs);
  }

  /** Bytes in the segment files (0 before the first append). */
  async bytes(): Promise<number> {
    let names: string[];
    try {
      names = (await fs.promises.readdir(this.dir)).filter((f) => f.endsWith('.seg'));
    } catch {
      return 0;
    }
    const sizes = await Promise.all(
      names.map((n) =>
        fs.promises.stat(path.join(this.dir, n)).then(
          (st) => st.size,
          () => 0,
        ),
      ),
    );
    return sizes.reduce((a, b) => a + b, 0);
  }

  /** Deletes the segments started over an hour ago that no row names (`named` asks the database). */
  sweep(named: (segment: string) => boolean, nowMs: number): number {
    let deleted = 0;
    let names: string[];
    try {
      names = fs.readdirSync(this.dir).filter((f) => f.endsWith('.seg'));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 0;
      throw e;
    }
    for (const name of names) {
      if (name === this.writer?.name) continue;
      const startedMs = parseInt(name.split('-')[0], 36);
      if (!(nowMs - startedMs >= SEGMENT_IDLE_MS) || named(name)) continue;
      this.closeReader(name);
      fs.rmSync(path.join(this.dir, name), { force: true });
      deleted += 1;
    }
    return deleted;
  }

  close(): void {
    if (this.writer) fs.closeSync(this.writer.fd);
    this.writer = undefined;
    for (const name of [...this.readers.keys()]) this.closeReader(name);
  }

  private writable() {
    const w = this.writer;
    if (w && w.size < SEGMENT_MAX_BYTES && Date.now() - w.openedAt < SEGMENT_MAX_AGE_MS) return w;
    if (w) fs.closeSync(w.fd);
    if (!this.made) {
      fs.mkdirSync(this.dir, { recursive: true });
      this.made = true;
    }
    const name = `${Date.now().toString(36)}-${process.pid}-${randomBytes(4).toString('hex')}.seg`;
    this.writer = { name, fd: fs.openSync(path.join(this.dir, name), 'wx'), size: 0, openedAt: Date.now() };
    return this.writer;
  }

  private reader(segment: string): number {
    let fd = this.readers.get(segment);
    if (fd !== undefined) return fd;
    if (this.readers.size >= READERS) this.closeReader(this.readers.keys().next().value!);
    fd = fs.openSync(path.join(this.dir, segment), 'r');
    this.readers.set(segment, fd);
    return fd;
  }

  private closeReader(segment: string): void {
    const fd = this.readers.get(segment);
    if (fd === undefined) return;
    this.readers.delete(segment);
    fs.closeSync(fd);
  }

  private openOrNull(segment: string, flags: string): number | null {
    try {
      return fs.openSync(path.join(this.dir, segment), flags);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
  }
}

function parseRef(ref: string): { segment: string; offset: number; length: number } {
  const [segment, offset, length] = ref.split(':');
  if (!segment || !/^[\w.-]+\.seg$/.test(segment) || !(Number(offset) >= 0) || !(Number(length) >= 0))
    throw new Error(`not an attachment reference: ${ref}`);
  return { segment, offset: Number(offset), length: Number(length) };
}
