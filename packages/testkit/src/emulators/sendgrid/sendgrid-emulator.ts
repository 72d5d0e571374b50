import { randomBytes } from 'node:crypto';
import type { Express, Request, Response } from 'express';
import { rawBodyOf, RunningEmulator, startHttpEmulator } from '../http-emulator';
import { EmulatedEventWebhook, SendgridEventWebhookSettings, SendgridWebhookAccounts } from './sendgrid-event-webhooks';
import type { SendgridEvent, SendgridEventTarget } from './sendgrid-events';
import { postSendgridWebhook, SendgridSignedPostOptions } from './sendgrid-webhook-signer';
import { SendgridMailBody, validateSendgridMail } from './validate-sendgrid-mail';

/**
 * A local SendGrid v3 API, faithful to contracts §1 and §6: `POST /v3/mail/send` with SendGrid's auth,
 * validation, size limit and answers; the Webhooks API with several Event Webhooks per account, each
 * with its own P-256 key pair (sendgrid-event-webhooks.ts); and `postEvents`, which delivers a batch
 * to a webhook's URL signed with that webhook's key, as SendGrid does. Fault injection (status,
 * delay, dropped connection) comes from the HTTP emulator base.
 */
export interface SendgridEmulatorOptions {
  /** Keys that may do everything, or a predicate. */
  apiKeys: string[] | ((key: string) => boolean);
  /** Keys restricted to Mail Send: the webhook settings answer them 403, as for a restricted API key. */
  mailSendOnlyKeys?: string[];
  /**
   * Valid keys without the Mail Send permission (restricted to reading the profile): `GET /v3/scopes`
   * lists their scopes, and a send answers 403 `access forbidden`, as SendGrid does, in the same words
   * as a block of the account.
   */
  keysWithoutMailSend?: string[];
  /** Which account a key belongs to; default: every key on one account ("account"). */
  accountOf?: (apiKey: string) => string;
  /** Event Webhooks an account may hold (`max_allowed`); default 5. */
  maxWebhooks?: number;
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

export interface SendgridEmulator extends RunningEmulator {
  sent: SentSendgridMail[];
  /** An account's Event Webhooks, oldest first (default account: "account"). */
  eventWebhooks(account?: string): EmulatedEventWebhook[];
  /** Adds an Event Webhook as the account's owner would in SendGrid's screens (a tenant's own, say). */
  addEventWebhook(
    settings: Partial<SendgridEventWebhookSettings> & { url: string },
    options?: { account?: string; signed?: boolean; legacy?: boolean },
  ): EmulatedEventWebhook;
  /**
   * Posts a batch to the webhook registered at `url`, as SendGrid does: signed with that webhook's own
   * key when its signing is on. Throws when no enabled webhook posts there (SendGrid would post nothing).
   */
  postEvents(url: string, events: SendgridEvent[], options?: SendgridSignedPostOptions): Promise<{ status: number; body: string }>;
  /** One event target per recipient of a sent mail, carrying its custom args and message id. */
  targetsOf(sent: SentSendgridMail): SendgridEventTarget[];
}

const DEFAULT_MAX_BYTES = 30 * 1024 * 1024;
const FULL_SCOPES = [
  'mail.send',
  'user.webhooks.event.settings.read',
  'user.webhooks.event.settings.update',
  'user.webhooks.event.test.create',
];

const NO_MAIL_SEND_SCOPES = ['user.profile.read', 'user.account.read'];

const errorBody = (message: string, field: string | null = null) => ({ errors: [{ message, field, help: null }] });

export async function startSendgridEmulator(options: SendgridEmulatorOptions): Promise<SendgridEmulator> {
  const sent: SentSendgridMail[] = [];
  const maxBytes = options.maxMessageBytes ?? DEFAULT_MAX_BYTES;
  const sendOnly = new Set(options.mailSendOnlyKeys ?? []);
  const withoutMailSend = new Set(options.keysWithoutMailSend ?? []);
  const fullAccess =
    typeof options.apiKeys === 'function'
      ? options.apiKeys
      : (
          (list) => (k: string) =>
            list.includes(k)
        )(options.apiKeys);
  const accountOf = options.accountOf ?? (() => 'account');
  const webhooks = new SendgridWebhookAccounts(options.maxWebhooks ?? 5);

  const scopesOf = (key: string) => (fullAccess(key) ? FULL_SCOPES : sendOnly.has(key) ? ['mail.send'] : NO_MAIL_SEND_SCOPES);

  /** Answers 401/403 itself and returns undefined, or returns the key. `any`: a valid key whatever its scopes. */
  function authorise(req: Request, res: Response, scope: 'mail.send' | 'settings' | 'any'): string | undefined {
    const header = req.headers.authorization;
    if (!header) {
      res.status(401).json(errorBody('authorization required'));
      return undefined;
    }
    const match = /^Bearer (\S+)$/.exec(header);
    const key = match?.[1];
    if (!key || !(fullAccess(key) || sendOnly.has(key) || withoutMailSend.has(key))) {
      res.status(401).json(errorBody('The provided authorization grant is invalid, expired, or revoked'));
      return undefined;
    }
    if ((scope === 'settings' && !fullAccess(key)) || (scope === 'mail.send' && !scopesOf(key).includes('mail.send'))) {
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
      const apiKey = authorise(req, res, 'any');
      if (!apiKey) return;
      res.json({ scopes: scopesOf(apiKey) });
    });

    webhooks.mount(
      app,
      (req, res) => {
        const key = authorise(req, res, 'settings');
        return key ? accountOf(key) : undefined;
      },
      readJson,
    );

    app.use((_req, res) => res.status(404).json(errorBody('resource not found')));
  };

  const base = await startHttpEmulator(mount, { tls: options.tls });
  return {
    ...base,
    sent,
    eventWebhooks: (account = 'account') => webhooks.list(account),
    addEventWebhook: (settings, opts = {}) => webhooks.add(opts.account ?? 'account', settings, opts),
    postEvents: async (url, events, opts) => {
      const hook = webhooks.byUrl(url);
      if (!hook?.settings.enabled) throw new Error(`SendGrid has no enabled Event Webhook posting to ${url}`);
      return postSendgridWebhook(url, hook.sign(events, opts));
    },
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
