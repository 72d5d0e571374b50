import { Binary } from 'mongodb';
import type { Attachment, EmailContent, EmailRecord, EmailSettings, Tenant } from '@mailroom/domain';
import { sendDueAt } from '@mailroom/domain';

/**
 * How the domain shapes sit in MongoDB, and the way back. `_id` carries the id and `rev` the
 * optimistic-concurrency revision; neither leaks into what the store returns.
 */
export interface TenantDoc {
  _id: string;
  name: string;
  plan: Tenant['plan'];
  email?: string;
  createdAt: string;
  updatedAt: string;
}

export type SettingsDoc = Omit<EmailSettings, 'tenantId'> & { _id: string; rev: number };
/**
 * Derived fields, written by `emailBody()` and never returned: `sendDueAt` (domain `sendDueAt`), indexed
 * for the sweep, absent when nothing waits for a send; `recipientAddresses`, every recipient's address
 * (to, cc, bcc) lower-cased once each, indexed for the history's recipient filter (which matches any
 * case, as SQLite's `r:` keys do; `recipients.email` keeps the case the address was given in).
 */
export type EmailDoc = Omit<EmailRecord, 'id'> & { _id: string; rev: number; sendDueAt?: string; recipientAddresses?: string[] };

export interface AttachmentDoc {
  filename: string;
  contentType: string;
  content: Binary | Buffer | Uint8Array;
}

export interface ContentDoc {
  _id: string;
  tenantId: string;
  text?: string;
  html?: string;
  attachments: AttachmentDoc[];
}

export function tenantFromDoc(doc: TenantDoc): Tenant {
  return {
    id: doc._id,
    name: doc.name,
    plan: doc.plan,
    ...(typeof doc.email === 'string' ? { email: doc.email } : {}),
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt,
  };
}

export function settingsFromDoc(doc: SettingsDoc): EmailSettings {
  const { _id, rev: _rev, ...rest } = doc;
  return { tenantId: _id, ...rest };
}

/** The settings fields as written (everything but the id and the revision). */
export function settingsBody(settings: EmailSettings): Omit<SettingsDoc, '_id' | 'rev'> {
  const { tenantId: _tenantId, ...rest } = settings;
  return rest;
}

export function emailFromDoc(doc: EmailDoc): EmailRecord {
  const { _id, rev: _rev, sendDueAt: _due, recipientAddresses: _addresses, ...rest } = doc;
  return { id: _id, ...rest };
}

/** What the history's recipient filter matches: each recipient's address in lower case, once (SQLite's `recipientKey`). */
export function recipientAddressesOf(email: Pick<EmailRecord, 'recipients'>): string[] {
  return [...new Set(email.recipients.map((r) => r.email.toLowerCase()))];
}

export function emailBody(email: EmailRecord): Omit<EmailDoc, '_id' | 'rev'> {
  const { id: _id, ...rest } = email;
  const due = sendDueAt(email);
  const body = { ...rest, recipientAddresses: recipientAddressesOf(email) };
  return due === null ? body : { ...body, sendDueAt: due };
}

export function contentToDoc(email: EmailRecord, content: EmailContent): ContentDoc {
  return {
    _id: email.id,
    tenantId: email.tenantId,
    ...(content.text !== undefined ? { text: content.text } : {}),
    ...(content.html !== undefined ? { html: content.html } : {}),
    attachments: content.attachments.map((a) => ({ filename: a.filename, contentType: a.contentType, content: new Binary(a.content) })),
  };
}

/** A copy of the bytes, whether the driver hands back a Binary (the default) or a Buffer (promoteBuffers). */
function bytesOf(value: AttachmentDoc['content']): Buffer {
  return Buffer.from(value instanceof Binary ? value.value() : value);
}

export function contentFromDoc(doc: ContentDoc): EmailContent {
  return {
    ...(doc.text !== undefined && doc.text !== null ? { text: doc.text } : {}),
    ...(doc.html !== undefined && doc.html !== null ? { html: doc.html } : {}),
    attachments: doc.attachments.map((a): Attachment => ({
      filename: a.filename,
      contentType: a.contentType,
      content: bytesOf(a.content),
    })),
  };
}
