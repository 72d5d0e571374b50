import { randomBytes } from 'node:crypto';
import type { Express } from 'express';
import { RunningEmulator, startHttpEmulator } from '../http-emulator';
import { domainNotFound, MailgunAccountState, mountMailgunAccountRoutes, readForm } from './mailgun-account-routes';
import { requireApiKey } from './mailgun-auth';
import type { MailgunEventData, MailgunEventTarget } from './mailgun-events';
import { buildMailgunWebhookPost, MailgunWebhookPost, MailgunWebhookPostOptions, postMailgunWebhook } from './mailgun-webhook-signer';
import { formValue, formValues, MailgunForm, MailgunFormFile } from './parse-mailgun-form';

/**
 * A local Mailgun API for one region, faithful to contracts §2 and §6: `POST /v3/{domain}/messages`
 * (multipart parsed with busboy, repeated fields and file bytes kept), Basic `api:key` checked exactly
 * (anything else, a key of the other region included, answers 401 `Forbidden` as text), unknown domains
 * 404, Mailgun's 400 words, and `{"id":"<...>","message":"Queued. Thank you."}` on success. Also the
 * domain webhooks CRUD and the account's HTTP webhook signing key (random per emulator), and
 * `postEvent`, which posts events signed exactly as Mailgun signs them. Run one per region to test a
 * tenant configured with the wrong region. Faults (status, delay, drop) come from the HTTP emulator base.
 */
export interface MailgunEmulatorOptions {
  region?: 'us' | 'eu';
  /** API keys of this account in this region. */
  keys: string[];
  /** Sending domains of this account in this region. */
  domains: string[];
  tls?: boolean;
}

export interface MailgunSentMessage {
  /** The id answered, with angle brackets, as Mailgun answers it. */
  id: string;
  domain: string;
  /** The key from `Authorization: Basic api:<key>`: proves which tenant's credentials reached the API. */
  apiKey: string;
  /** Every form field in arrival order, repeated names kept (`to`, `cc`, `o:tag`...). */
  fields: [string, string][];
  /** `attachment` / `inline` parts, byte for byte. */
  files: MailgunFormFile[];
  at: number;
}

export interface MailgunEmulator extends RunningEmulator {
  region: 'us' | 'eu';
  sent: MailgunSentMessage[];
  /** The account's HTTP webhook signing key, as `GET /v5/accounts/http_signing_key` answers it. */
  readonly signingKey: string;
  /** The webhooks stored for a domain: name -> URLs. */
  webhooksOf(domain: string): Record<string, string[]>;
  /** One event target per to/cc/bcc recipient of a sent message, with its `v:` values as user-variables. */
  targetsOf(sent: MailgunSentMessage): MailgunEventTarget[];
  /** The post Mailgun would make for this event, signed with the account's key unless options say otherwise. */
  buildPost(eventData: MailgunEventData, options?: MailgunWebhookPostOptions): MailgunWebhookPost;
  /** Posts one event to a receiver as Mailgun does; answers the status, the receiver's text and what was sent. */
  postEvent(
    url: string,
    eventData: MailgunEventData,
    options?: MailgunWebhookPostOptions,
  ): Promise<{ status: number; body: string; post: MailgunWebhookPost }>;
}

/** Options Mailgun reads as yes/no (mailgun.js turns booleans into these). */
const YES_NO_OPTIONS = [
  'o:testmode',
  'o:dkim',
  'o:tracking',
  'o:tracking-opens',
  'o:tracking-clicks',
  'o:require-tls',
  'o:skip-verification',
];
const YES_NO = ['yes', 'no', 'true', 'false'];

/** Mailgun's own 400 wording for what is missing (mailgun.js test data), or undefined when the form is sendable. */
function invalidMessage(form: MailgunForm): string | undefined {
  if (!formValue(form, 'from')) return "Missing parameter 'from'.";
  if (formValues(form, 'to').filter((v) => v.trim()).length === 0) return "Missing parameter 'to'.";
  if (!['text', 'html', 'amp-html', 'template'].some((f) => formValue(form, f))) {
    return "Need at least one of 'text', 'html', 'amp-html' or 'template' parameters specified";
  }
  for (const option of YES_NO_OPTIONS) {
    const v = formValue(form, option);
    if (v !== undefined && !YES_NO.includes(v) && !(option === 'o:tracking-clicks' && v === 'htmlonly')) {
      return `Invalid value for parameter '${option}': '${v}'`;
    }
  }
  return undefined;
}

/** A custom `h:Message-Id` is honoured (Mailgun keeps it on the message); otherwise one of Mailgun's shape. */
function messageIdFor(form: MailgunForm, domain: string): string {
  const custom = form.fields.find(([name]) => name.toLowerCase() === 'h:message-id')?.[1]?.trim();
  if (custom) return custom.startsWith('<') ? custom : `<${custom}>`;
  const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
  return `<${stamp}.${Math.floor(Math.random() * 1e6)}.${randomBytes(8).toString('hex').toUpperCase()}@${domain}>`;
}

/** Splits `"Name, Jr" <a@b.c>, d@e.f` into addresses, honouring quotes and angle brackets. */
export function addressesIn(value: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  let angled = false;
  for (const ch of value) {
    if (ch === '"') quoted = !quoted;
    if (!quoted && ch === '<') angled = true;
    if (!quoted && ch === '>') angled = false;
    if (ch === ',' && !quoted && !angled) {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  parts.push(current);
  return parts
    .map((p) => /<([^>]+)>/.exec(p)?.[1] ?? p)
    .map((p) => p.trim().toLowerCase())
    .filter((p) => p.includes('@'));
}

function mountMessages(app: Express, domains: readonly string[], sent: MailgunSentMessage[]): void {
  app.post('/v3/:domain/messages', async (req, res) => {
    const domain = req.params.domain;
    if (!domains.includes(domain)) return domainNotFound(res, domain);
    const form = await readForm(req, res);
    if (!form) return;
    const invalid = invalidMessage(form);
    if (invalid) return res.status(400).json({ message: invalid });
    const id = messageIdFor(form, domain);
    sent.push({ id, domain, apiKey: String(res.locals.apiKey), fields: form.fields, files: form.files, at: Date.now() });
    res.json({ id, message: 'Queued. Thank you.' });
  });
}

export async function startMailgunEmulator(options: MailgunEmulatorOptions): Promise<MailgunEmulator> {
  const sent: MailgunSentMessage[] = [];
  const newKey = () => `key-${randomBytes(16).toString('hex')}`;
  const state: MailgunAccountState = {
    domains: options.domains,
    webhooks: new Map(),
    signingKey: { value: newKey(), rotate: () => (state.signingKey.value = newKey()) },
  };
  const base = await startHttpEmulator(
    (app) => {
      app.use(requireApiKey(options.keys));
      mountMessages(app, options.domains, sent);
      mountMailgunAccountRoutes(app, state);
      app.use((_req, res) => res.status(404).json({ message: 'Not Found' }));
    },
    { tls: options.tls },
  );

  const buildPost = (eventData: MailgunEventData, postOptions?: MailgunWebhookPostOptions) =>
    buildMailgunWebhookPost(state.signingKey.value, eventData, postOptions);

  return {
    ...base,
    region: options.region ?? 'us',
    sent,
    get signingKey() {
      return state.signingKey.value;
    },
    webhooksOf: (domain) => Object.fromEntries(state.webhooks.get(domain) ?? []),
    targetsOf: (message) => {
      const userVariables = Object.fromEntries(message.fields.filter(([n]) => n.startsWith('v:')).map(([n, v]) => [n.slice(2), v]));
      const recipients = ['to', 'cc', 'bcc'].flatMap((f) => formValues(message, f).flatMap(addressesIn));
      return [...new Set(recipients)].map((recipient) => ({
        recipient,
        messageId: message.id,
        userVariables,
        domain: message.domain,
        from: formValue(message, 'from'),
        subject: formValue(message, 'subject'),
      }));
    },
    buildPost,
    postEvent: async (url, eventData, postOptions) => {
      const post = buildPost(eventData, postOptions);
      return { ...(await postMailgunWebhook(url, post)), post };
    },
  };
}
