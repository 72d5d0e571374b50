/**
 * The checks SendGrid's `POST /v3/mail/send` makes before it answers 202, with its own error shape
 * (`{ message, field, help }`) and, where known, its own words. Pure: the emulator turns the list into a 400.
 */

export interface SendgridAddress {
  email: string;
  name?: string;
}

export interface SendgridPersonalization {
  to: SendgridAddress[];
  cc?: SendgridAddress[];
  bcc?: SendgridAddress[];
  subject?: string;
  headers?: Record<string, string>;
  custom_args?: Record<string, string>;
}

/** The v3 mail body as the emulator records it (only the parts Mailroom uses are typed). */
export interface SendgridMailBody {
  personalizations: SendgridPersonalization[];
  from: SendgridAddress;
  reply_to?: SendgridAddress;
  subject?: string;
  content?: { type: string; value: string }[];
  attachments?: { content: string; filename: string; type?: string; disposition?: 'attachment' | 'inline'; content_id?: string }[];
  headers?: Record<string, string>;
  custom_args?: Record<string, string>;
  categories?: string[];
  tracking_settings?: {
    open_tracking?: { enable?: boolean };
    click_tracking?: { enable?: boolean };
  };
  mail_settings?: { sandbox_mode?: { enable?: boolean } };
}

export interface SendgridApiError {
  message: string;
  field: string | null;
  help: string | null;
}

const HELP = 'http://sendgrid.com/docs/API_Reference/Web_API_v3/Mail/errors.html';
const EMAIL = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
/** Headers SendGrid refuses to let a sender override (contracts §1.1). */
const RESERVED_HEADERS = new Set([
  'x-sg-id',
  'x-sg-eid',
  'received',
  'dkim-signature',
  'content-type',
  'content-transfer-encoding',
  'to',
  'from',
  'subject',
  'reply-to',
  'cc',
  'bcc',
]);
const MAX_RECIPIENTS = 1000;
const MAX_CUSTOM_ARGS_BYTES = 10_000;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function err(message: string, field: string | null, anchor?: string): SendgridApiError {
  return { message, field, help: anchor ? `${HELP}#${anchor}` : null };
}

function checkAddress(value: unknown, field: string, errors: SendgridApiError[]): string | undefined {
  if (!isObject(value) || typeof value.email !== 'string' || !EMAIL.test(value.email)) {
    errors.push(err('Does not contain a valid address.', `${field}.email`, 'message.personalizations.to'));
    return undefined;
  }
  if (value.name !== undefined && typeof value.name !== 'string') {
    errors.push(err('Invalid type. Expected: string, given: ' + typeof value.name + '.', `${field}.name`));
  }
  return value.email.toLowerCase();
}

function checkStringMap(value: unknown, field: string, errors: SendgridApiError[]): void {
  if (value === undefined) return;
  if (!isObject(value)) {
    errors.push(err(`Invalid type. Expected: object, given: ${Array.isArray(value) ? 'array' : typeof value}.`, field));
    return;
  }
  for (const [k, v] of Object.entries(value)) {
    if (typeof v !== 'string')
      errors.push(err(`Invalid type. Expected: string, given: ${typeof v === 'number' ? 'integer' : typeof v}.`, `${field}.${k}`));
  }
}

function checkPersonalizations(body: Record<string, unknown>, errors: SendgridApiError[]): void {
  const list = body.personalizations;
  if (!Array.isArray(list) || list.length === 0) {
    errors.push(
      err(
        'The personalizations field is required and must have at least one personalization.',
        'personalizations',
        '-Personalizations-Errors',
      ),
    );
    return;
  }
  let recipients = 0;
  list.forEach((p: unknown, i) => {
    const at = `personalizations.${i}`;
    if (!isObject(p) || !Array.isArray(p.to) || p.to.length === 0) {
      errors.push(
        err(
          'The to array is required for all personalization objects, and must have at least one email object with a valid email address.',
          `${at}.to`,
          'message.personalizations.to',
        ),
      );
      return;
    }
    const seen = new Set<string>();
    let duplicate: { email: string; kind: string } | undefined;
    for (const kind of ['to', 'cc', 'bcc'] as const) {
      const entries = p[kind];
      if (entries === undefined) continue;
      if (!Array.isArray(entries)) {
        errors.push(err(`Invalid type. Expected: array, given: ${typeof entries}.`, `${at}.${kind}`));
        continue;
      }
      entries.forEach((a: unknown, j) => {
        recipients += 1;
        const email = checkAddress(a, `${at}.${kind}.${j}`, errors);
        if (!email) return;
        if (seen.has(email) && !duplicate) duplicate = { email, kind };
        seen.add(email);
      });
    }
    if (duplicate) {
      errors.push(
        err(
          `Each email address in the personalization block should be unique between to, cc, and bcc. We found the first duplicate instance of [${duplicate.email}] in the ${at}.${duplicate.kind} field.`,
          at,
          'message.recipient_errors',
        ),
      );
    }
    checkStringMap(p.custom_args, `${at}.custom_args`, errors);
    checkStringMap(p.headers, `${at}.headers`, errors);
  });
  if (recipients > MAX_RECIPIENTS) {
    errors.push(
      err(
        `The total number of recipients must be no more than ${MAX_RECIPIENTS}. This includes all recipients defined within the to, cc, and bcc parameters, across each object that you include in the personalizations array.`,
        'personalizations',
        'message.recipient_errors',
      ),
    );
  }
}

function checkContent(body: Record<string, unknown>, errors: SendgridApiError[]): void {
  const content = body.content;
  if (!Array.isArray(content) || content.length === 0) {
    errors.push(
      err(
        'Unless a valid template_id is provided, the content parameter is required. There must be at least one defined content block. We typically suggest both text/plain and text/html blocks are included, but only one block is required.',
        'content',
        'message.content',
      ),
    );
    return;
  }
  content.forEach((c: unknown, i) => {
    if (!isObject(c) || typeof c.type !== 'string' || c.type.length === 0) {
      errors.push(err('The content type must be a string at least one character in length.', `content.${i}.type`, 'message.content.type'));
    }
    if (!isObject(c) || typeof c.value !== 'string' || c.value.length === 0) {
      errors.push(
        err('The content value must be a string at least one character in length.', `content.${i}.value`, 'message.content.value'),
      );
    }
  });
  const htmlAt = content.findIndex((c: unknown) => isObject(c) && c.type === 'text/html');
  const plainAt = content.findIndex((c: unknown) => isObject(c) && c.type === 'text/plain');
  const expectedHtmlAt = plainAt === 0 ? 1 : 0;
  if (plainAt > 0 || (htmlAt >= 0 && htmlAt !== expectedHtmlAt)) {
    errors.push(
      err(
        'If present, text/plain and text/html may only be provided in this order: text/plain, text/html, followed by any other content.',
        'content',
        'message.content',
      ),
    );
  }
}

function checkAttachments(body: Record<string, unknown>, errors: SendgridApiError[]): void {
  const list = body.attachments;
  if (list === undefined) return;
  if (!Array.isArray(list)) {
    errors.push(err('Invalid type. Expected: array.', 'attachments'));
    return;
  }
  list.forEach((a: unknown, i) => {
    const at = `attachments.${i}`;
    if (!isObject(a) || typeof a.content !== 'string' || a.content.length === 0) {
      errors.push(err('The attachment content is required.', `${at}.content`, 'message.attachments.content'));
    } else if (!BASE64.test(a.content) || a.content.length % 4 !== 0) {
      errors.push(err('The attachment content must be base64 encoded.', `${at}.content`, 'message.attachments.content'));
    }
    if (!isObject(a) || typeof a.filename !== 'string' || a.filename.length === 0) {
      errors.push(err('The attachment filename parameter is required.', `${at}.filename`, 'message.attachments.filename'));
    }
    if (isObject(a) && a.disposition !== undefined && a.disposition !== 'attachment' && a.disposition !== 'inline') {
      errors.push(
        err(
          'The disposition of your attachment can be either "inline" or "attachment".',
          `${at}.disposition`,
          'message.attachments.disposition',
        ),
      );
    }
  });
}

function checkHeaders(body: Record<string, unknown>, errors: SendgridApiError[]): void {
  checkStringMap(body.headers, 'headers', errors);
  if (!isObject(body.headers)) return;
  for (const name of Object.keys(body.headers)) {
    if (RESERVED_HEADERS.has(name.toLowerCase())) {
      errors.push(err(`The '${name}' header is reserved and cannot be set.`, 'headers', 'message.headers'));
    }
  }
}

/** Every error SendGrid would report for this body; empty when it would answer 202. */
export function validateSendgridMail(body: unknown): SendgridApiError[] {
  const errors: SendgridApiError[] = [];
  if (!isObject(body)) return [err('Bad Request', null)];
  checkPersonalizations(body, errors);
  if (!isObject(body.from) || typeof body.from.email !== 'string') {
    errors.push(
      err(
        'The from object must be provided for every email send. It is an object that requires the email parameter, but may also contain a name parameter.',
        'from.email',
        'message.from',
      ),
    );
  } else {
    checkAddress(body.from, 'from', errors);
  }
  if (body.reply_to !== undefined) checkAddress(body.reply_to, 'reply_to', errors);
  const everyPersonalizationHasSubject =
    Array.isArray(body.personalizations) &&
    body.personalizations.length > 0 &&
    body.personalizations.every((p: unknown) => isObject(p) && typeof p.subject === 'string' && p.subject.length > 0);
  if (!(typeof body.subject === 'string' && body.subject.length > 0) && !everyPersonalizationHasSubject) {
    errors.push(
      err(
        'The subject is required. You can get around this requirement if you use a template with a subject defined or if every personalization has a subject defined.',
        'subject',
        'message.subject',
      ),
    );
  }
  checkContent(body, errors);
  checkAttachments(body, errors);
  checkHeaders(body, errors);
  checkStringMap(body.custom_args, 'custom_args', errors);
  if (isObject(body.custom_args) && Buffer.byteLength(JSON.stringify(body.custom_args)) > MAX_CUSTOM_ARGS_BYTES) {
    errors.push(err('The custom_args are larger than 10,000 bytes.', 'custom_args', 'message.custom_args'));
  }
  return errors;
}
