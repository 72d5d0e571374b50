import Busboy from 'busboy';
import type { IncomingHttpHeaders } from 'node:http';

/** One file part, byte for byte as it arrived. */
export interface MailgunFormFile {
  /** The form field: `attachment` or `inline`. */
  field: string;
  filename: string;
  contentType: string;
  data: Buffer;
}

/** A Mailgun API form: every field in arrival order (repeated names kept), and the file parts. */
export interface MailgunForm {
  fields: [string, string][];
  files: MailgunFormFile[];
}

const NO_LIMIT = Number.MAX_SAFE_INTEGER;

function parseMultipart(headers: IncomingHttpHeaders, body: Buffer): Promise<MailgunForm> {
  return new Promise((resolve, reject) => {
    const form: MailgunForm = { fields: [], files: [] };
    let parser: Busboy.Busboy;
    try {
      // busboy caps a field at 1 MB by default; an HTML body can be larger, Mailgun takes up to 25 MB.
      parser = Busboy({
        headers,
        defParamCharset: 'utf8',
        limits: { fieldSize: NO_LIMIT, fields: NO_LIMIT, files: NO_LIMIT, fileSize: NO_LIMIT, parts: NO_LIMIT },
      });
    } catch (e) {
      reject(e);
      return;
    }
    parser.on('field', (name, value) => form.fields.push([name, value]));
    parser.on('file', (field, stream, info) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () =>
        form.files.push({ field, filename: info.filename ?? '', contentType: info.mimeType, data: Buffer.concat(chunks) }),
      );
    });
    parser.on('error', reject);
    parser.on('close', () => resolve(form));
    parser.end(body);
  });
}

/**
 * Reads a request body the way Mailgun's API does: `multipart/form-data` (what mailgun.js sends) or
 * `application/x-www-form-urlencoded` (what curl and plain fetch send). Anything else is an empty form.
 */
export async function parseMailgunForm(headers: IncomingHttpHeaders, body: Buffer): Promise<MailgunForm> {
  const type = String(headers['content-type'] ?? '').toLowerCase();
  if (type.startsWith('multipart/form-data')) return parseMultipart(headers, body);
  if (type.startsWith('application/x-www-form-urlencoded')) {
    return { fields: [...new URLSearchParams(body.toString('utf8'))], files: [] };
  }
  return { fields: [], files: [] };
}

/** The first value of a field, as Mailgun reads single-valued parameters. */
export function formValue(form: Pick<MailgunForm, 'fields'>, name: string): string | undefined {
  return form.fields.find(([n]) => n === name)?.[1];
}

/** Every value of a repeatable field (`to`, `cc`, `o:tag`, `url`...), in order. */
export function formValues(form: Pick<MailgunForm, 'fields'>, name: string): string[] {
  return form.fields.filter(([n]) => n === name).map(([, v]) => v);
}
