import { randomBytes } from 'node:crypto';
import type { Express, Request, Response } from 'express';
import { rawBodyOf, RunningEmulator, startHttpEmulator } from '../http-emulator';
import type { SendgridEvent, SendgridEventTarget } from './sendgrid-events';
import {
  generateSendgridSigningKeys,
  postSendgridWebhook,
  SendgridSignedPost,
  SendgridSignedPostOptions,
  signSendgridPost,
} from './sendgrid-webhook-signer';
import { SendgridMailBody, validateSendgridMail } from './validate-sendgrid-mail';

/**
 * A local SendGrid v3 API, faithful to contracts §1 and §6: `POST /v3/mail/send` with SendGrid's auth,
 * validation, size limit and answers; the Event Webhook settings endpoints with a real P-256 key pair
 * per emulator; and `postEvents`, which delivers webhook batches signed as SendGrid signs them.
 * Fault injection (status, delay, dropped connection) comes from the HTTP emulator base.
 */
export interface SendgridEmulatorOptions {
  /** Keys that may do everything, or a predicate. */
  apiKeys: string[] | ((key: string) => boolean);
  /** Keys restricted to Mail Send: the webhook settings answer them 403, as for a restricted API key. */
  mailSendOnlyKeys?: string[];
  /** Request bodies above this many bytes answer 413 (SendGrid: 20–30 MB). */
  maxMessageBytes?: number;
  tls?: boolean;
}

export interface SentSendgridMail {
  /** The key from `Authorization: Bearer <key>`: proves which tenant's credentials reached the API. */
  apiKey: string;
  body: SendgridMailBody;
  rawBody: Buffer;
  /** The HTTP request headers (the SDK repeats the email headers here). */
  httpHeaders: Record<string, string | string[] | undefined>;
  /** The `X-Message-Id` the emulator answered. */
  messageId: string;
  at: number;
}

export interface SendgridEventWebhookSettings {
  enabled: boolean;
  url: string;
  group_resubscribe: boolean;
  delivered: boolean;
  group_unsubscribe: boolean;
  spam_report: boolean;
  bounce: boolean;
  deferred: boolean;
  unsubscribe: boolean;
  processed: boolean;
  open: boolean;
  click: boolean;
  dropped: boolean;
  oauth_client_id: string;
  oauth_token_url: string;
}

export interface SendgridEmulator extends RunningEmulator {
  sent: SentSendgridMail[];
  /** The account's verification key (base64 DER SPKI), as `GET .../settings/signed` returns it once signing is on. */
  publicKey: string;
  webhook: { settings: SendgridEventWebhookSettings; signed: boolean };
  /** The batch as SendGrid would post it, signed with this account's key unless options say otherwise. */
  signEvents(events: SendgridEvent[], options?: SendgridSignedPostOptions): SendgridSignedPost;
  /** Posts a signed batch to a receiver, as SendGrid does. */
  postEvents(url: string, events: SendgridEvent[], options?: SendgridSignedPostOptions): Promise<{ status: number; body: string }>;
  /** One event target per recipient of a sent mail, carrying its custom args and message id. */
  targetsOf(sent: SentSendgridMail): SendgridEventTarget[];
}

const DEFAULT_MAX_BYTES = 30 * 1024 * 1024;
const WEBHOOK_EVENTS = [
  'group_resubscribe',
  'delivered',
  'group_unsubscribe',
  'spam_report',
  'bounce',
  'deferred',
  'unsubscribe',
  'processed',
  'open',
  'click',
  'dropped',
] as const;
const FULL_SCOPES = [
  'mail.send',
  'user.webhooks.event.settings.read',
  'user.webhooks.event.settings.update',
  'user.webhooks.event.test.create',
];

const errorBody = (message: string, field: string | null = null) => ({ errors: [{ message, field, help: null }] });

export async function startSendgridEmulator(options: SendgridEmulatorOptions): Promise<SendgridEmulator> {
  const keys = generateSendgridSigningKeys();
  const sent: SentSendgridMail[] = [];
  const maxBytes = options.maxMessageBytes ?? DEFAULT_MAX_BYTES;
  const sendOnly = new Set(options.mailSendOnlyKeys ?? []);
  const fullAccess =
    typeof options.apiKeys === 'function'
      ? options.apiKeys
      : (
          (list) => (k: string) =>
            list.includes(k)
        )(options.apiKeys);
  const webhook: SendgridEmulator['webhook'] = {
    settings: {
      enabled: false,
      url: '',
      ...Object.fromEntries(WEBHOOK_EVENTS.map((e) => [e, false])),
      oauth_client_id: '',
      oauth_token_url: '',
    } as SendgridEventWebhookSettings,
    signed: false,
  };

  /** Answers 401/403 itself and returns undefined, or returns the key. */
  function authorise(req: Request, res: Response, scope: 'mail.send' | 'settings'): string | undefined {
    const header = req.headers.authorization;
    if (!header) {
      res.status(401).json(errorBody('authorization required'));
      return undefined;
    }
    const match = /^Bearer (\S+)$/.exec(header);
    const key = match?.[1];
    if (!key || !(fullAccess(key) || sendOnly.has(key))) {
      res.status(401).json(errorBody('The provided authorization grant is invalid, expired, or revoked'));
      return undefined;
    }
    if (scope === 'settings' && !fullAccess(key)) {
      res.status(403).json(errorBody('access forbidden'));
      return undefined;
    }
    return key;
  }

  function readJson(req: Request, res: Response): unknown {
    try {
      return JSON.parse(rawBodyOf(req).toString('utf8'));
    } catch {
      res.status(400).json(errorBody('Bad Request'));
      return undefined;
    }
  }

  const signedAnswer = () => ({ public_key: webhook.signed ? keys.publicKeyBase64 : '' });

  const mount = (app: Express) => {
    app.post('/v3/mail/send', (req, res) => {
      const apiKey = authorise(req, res, 'mail.send');
      if (!apiKey) return;
      const raw = rawBodyOf(req);
      if (raw.length > maxBytes) return res.status(413).json(errorBody('content too large'));
      const body = readJson(req, res);
      if (body === undefined) return;
      const errors = validateSendgridMail(body);
      if (errors.length > 0) return res.status(400).json({ errors });
      const mail = body as SendgridMailBody;
      if (mail.mail_settings?.sandbox_mode?.enable === true) return res.status(200).end();
      const messageId = randomBytes(16).toString('base64url').slice(0, 22);
      sent.push({ apiKey, body: mail, rawBody: raw, httpHeaders: req.headers, messageId, at: Date.now() });
      res.status(202).setHeader('X-Message-Id', messageId);
      return res.end();
    });

    app.get('/v3/scopes', (req, res) => {
      const apiKey = authorise(req, res, 'mail.send');
      if (!apiKey) return;
      res.json({ scopes: fullAccess(apiKey) ? FULL_SCOPES : ['mail.send'] });
    });

    app.get('/v3/user/webhooks/event/settings', (req, res) => {
      if (!authorise(req, res, 'settings')) return;
      res.json(webhook.settings);
    });

    app.patch('/v3/user/webhooks/event/settings', (req, res) => {
      if (!authorise(req, res, 'settings')) return;
      const body = readJson(req, res) as Record<string, unknown> | undefined;
      if (body === undefined) return;
      const next = { ...webhook.settings };
      for (const [k, v] of Object.entries(body ?? {})) {
        if (k === 'url') {
          if (typeof v !== 'string') return res.status(400).json(errorBody('url must be a string', 'url'));
          next.url = v;
        } else if (k === 'enabled' || (WEBHOOK_EVENTS as readonly string[]).includes(k)) {
          if (typeof v !== 'boolean') return res.status(400).json(errorBody(`${k} must be a boolean`, k));
          (next as unknown as Record<string, boolean>)[k] = v;
        }
      }
      if (next.enabled && !/^https?:\/\/\S+$/.test(next.url))
        return res.status(400).json(errorBody('a valid url is required to enable the Event Webhook', 'url'));
      webhook.settings = next;
      return res.json(webhook.settings);
    });

    app.get('/v3/user/webhooks/event/settings/signed', (req, res) => {
      if (!authorise(req, res, 'settings')) return;
      res.json(signedAnswer());
    });

    app.patch('/v3/user/webhooks/event/settings/signed', (req, res) => {
      if (!authorise(req, res, 'settings')) return;
      const body = readJson(req, res) as { enabled?: unknown } | undefined;
      if (body === undefined) return;
      if (typeof body?.enabled !== 'boolean') return res.status(400).json(errorBody('enabled must be a boolean', 'enabled'));
      webhook.signed = body.enabled;
      return res.json(signedAnswer());
    });

    app.use((_req, res) => res.status(404).json(errorBody('resource not found')));
  };

  const base = await startHttpEmulator(mount, { tls: options.tls });
  const signEvents = (events: SendgridEvent[], opts?: SendgridSignedPostOptions) => signSendgridPost(events, keys.privateKey, opts);
  return {
    ...base,
    sent,
    publicKey: keys.publicKeyBase64,
    webhook,
    signEvents,
    postEvents: (url, events, opts) => postSendgridWebhook(url, signEvents(events, opts)),
    targetsOf: (mail) =>
      mail.body.personalizations.flatMap((p) =>
        [...p.to, ...(p.cc ?? []), ...(p.bcc ?? [])].map((a) => ({
          email: a.email,
          messageId: mail.messageId,
          customArgs: { ...(mail.body.custom_args ?? {}), ...(p.custom_args ?? {}) },
          categories: mail.body.categories,
        })),
      ),
  };
}
