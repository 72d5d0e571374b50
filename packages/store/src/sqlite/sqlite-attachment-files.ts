import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * The bytes of attachments, beside the SQLite file instead of inside it (decision 0042): one file per
 * attachment under `<database>.content/`, named from the email's id and the attachment's position, in
 * 256 folders. A 30 KB BLOB in the row was eight overflow pages written to the WAL and again to the
 * database at checkpoint, inside the IMMEDIATE transaction every other process's write waits for; a
 * file is one write() before the transaction starts, and one read() at send.
 *
 * Retention (decision 0016) as with SQLite's secure_delete: bytes that go are overwritten with zeros
 * before the file is unlinked, and the zeros are flushed to the disk first (an unlinked file's dirty
 * pages would otherwise be dropped, leaving the old bytes in free blocks). Like secure_delete, this
 * cannot reach copies a copy-on-write filesystem or an SSD's remapping keeps.
 */
export class SqliteAttachmentFiles {
  private readonly made = new Set<string>();

  constructor(readonly dir: string) {}

  /** The file name (relative to the folder) of one attachment of one email. */
  nameOf(emailId: string, position: number): string {
    const h = createHash('sha256').update(emailId).digest('hex');
    return `${h.slice(0, 2)}/${h.slice(2, 42)}.${position}`;
  }

  /** Writes the bytes, replacing any file of that name. */
  write(name: string, content: Buffer): void {
    const file = path.join(this.dir, name);
    const folder = path.dirname(file);
    if (!this.made.has(folder)) {
      fs.mkdirSync(folder, { recursive: true });
      this.made.add(folder);
    }
    fs.writeFileSync(file, content);
  }

  read(name: string): Buffer {
    return fs.readFileSync(path.join(this.dir, name));
  }

  /** Overwrites the file with zeros (not yet flushed: `remove` does that); a file already gone is fine. */
  zero(name: string): void {
    let fd: number;
    try {
      fd = fs.openSync(path.join(this.dir, name), 'r+');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw e;
    }
    try {
      const size = fs.fstatSync(fd).size;
      const zeros = Buffer.alloc(Math.min(size, 1 << 20));
      for (let at = 0; at < size; at += zeros.length) fs.writeSync(fd, zeros, 0, Math.min(zeros.length, size - at), at);
    } finally {
      fs.closeSync(fd);
    }
  }

  /** Zeros (unless already zeroed), flushes them to the disk, unlinks. */
  remove(name: string, alreadyZeroed = false): void {
    if (!alreadyZeroed) this.zero(name);
    const file = path.join(this.dir, name);
    let fd: number;
    try {
      fd = fs.openSync(file, 'r+');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw e;
    }
    try {
      fs.fdatasyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.rmSync(file, { force: true });
  }
}
