import { randomUUID } from 'node:crypto';
import type { Express, Request, Response } from 'express';
import type { SendgridEvent } from './sendgrid-events';
import { generateSendgridSigningKeys, SendgridSignedPost, SendgridSignedPostOptions, signSendgridPost } from './sendgrid-webhook-signer';

/**
 * SendGrid's multiple Event Webhooks (Webhooks API, twilio/sendgrid-oai tsg_webhooks_v3): each account
 * holds a list of webhooks, each with its own id, URL (unique within the account), event switches and,
 * once signing is turned on for it, its own ECDSA P-256 key pair. The account may hold `max_allowed`
 * of them; one more is SendGrid's 400. The endpoints without an id are the legacy ones: they act on
 * the account's oldest webhook, as SendGrid documents, which is how a single-webhook client overwrites
 * whatever the account had.
 */
export const WEBHOOK_EVENTS = [
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
export type WebhookEventName = (typeof WEBHOOK_EVENTS)[number];

export interface SendgridEventWebhookSettings extends Record<WebhookEventName, boolean> {
  enabled: boolean;
  url: string;
  friendly_name: string | null;
}

export interface EmulatedEventWebhook {
  id: string;
  account: string;
  settings: SendgridEventWebhookSettings;
  signed: boolean;
  /** This webhook's verification key (base64 DER SPKI), what `.../signed/{id}` answers once signing is on. */
  publicKey: string;
  /** null for the legacy webhook an account had before multiple webhooks existed. */
  createdDate: string | null;
  updatedDate: string;
  /** A batch as SendGrid posts it to this webhook: signed with this webhook's own key when signing is on. */
  sign(events: SendgridEvent[], options?: SendgridSignedPostOptions): SendgridSignedPost;
}

export const MAX_WEBHOOKS_MESSAGE = 'You have reached the maximum number of webhooks per your current billing plan.';
const errorBody = (message: string, extra: Record<string, unknown> = {}) => ({ errors: [{ message, ...extra }] });

export class SendgridWebhookAccounts {
  private readonly hooks: EmulatedEventWebhook[] = [];

  constructor(readonly maxAllowed: number) {}

  list(account: string): EmulatedEventWebhook[] {
    return this.hooks.filter((h) => h.account === account);
  }

  /** The webhook SendGrid posts to at this URL, in any account. */
  byUrl(url: string): EmulatedEventWebhook | undefined {
    return this.hooks.find((h) => h.settings.url === url);
  }

  /** Adds a webhook as the account's owner would in SendGrid's screens (no limit, no checks). */
  add(
    account: string,
    settings: Partial<SendgridEventWebhookSettings> & { url: string },
    options: { signed?: boolean; legacy?: boolean } = {},
  ) {
    const keys = generateSendgridSigningKeys();
    const at = new Date().toISOString();
    const hook: EmulatedEventWebhook = {
      id: randomUUID(),
      account,
      settings: { ...defaults(), enabled: true, ...settings },
      signed: options.signed ?? false,
      publicKey: keys.publicKeyBase64,
      createdDate: options.legacy ? null : at,
      updatedDate: at,
      sign: (events, opts) => signSendgridPost(events, keys.privateKey, hook.signed ? opts : { ...opts, unsigned: true }),
    };
    this.hooks.push(hook);
    return hook;
  }

  /** The routes of the Webhooks API. `authorise` answers 401/403 itself and returns the key's account, or undefined. */
  mount(
    app: Express,
    authorise: (req: Request, res: Response) => string | undefined,
    readJson: (req: Request, res: Response) => unknown,
  ): void {
    const find = (account: string, id: string) => this.list(account).find((h) => h.id === id);
    const oldest = (account: string) => this.list(account)[0];
    const notFound = (res: Response) => res.status(404).json(errorBody('Invalid id provided.'));
    const body = (req: Request, res: Response) => {
      const b = readJson(req, res);
      if (b === undefined) return undefined;
      if (typeof b !== 'object' || b === null || Array.isArray(b)) {
        res.status(400).json(errorBody('request body must be an object'));
        return undefined;
      }
      return b as Record<string, unknown>;
    };

    app.get('/v3/user/webhooks/event/settings/all', (req, res) => {
      const account = authorise(req, res);
      if (!account) return;
      const webhooks = this.list(account).map((h) => view(h));
      // SendGrid's own example of an account without webhooks is a list holding one empty object.
      res.json({ max_allowed: this.maxAllowed, webhooks: webhooks.length > 0 ? webhooks : [{}] });
    });

    app.post('/v3/user/webhooks/event/settings', (req, res) => {
      const account = authorise(req, res);
      if (!account) return;
      const b = body(req, res);
      if (!b) return;
      const settings = this.validate(account, b, res, undefined, true);
      if (!settings) return;
      if (this.list(account).length >= this.maxAllowed) return res.status(400).json(errorBody(MAX_WEBHOOKS_MESSAGE));
      const hook = this.add(account, settings as SendgridEventWebhookSettings);
      res.status(201).json(view(hook, false));
    });

    // The legacy single-webhook endpoints: the oldest webhook, created on first PATCH if there is none.
    app.get('/v3/user/webhooks/event/settings', (req, res) => {
      const account = authorise(req, res);
      if (!account) return;
      const hook = oldest(account);
      res.json(hook ? view(hook) : { ...defaults(), url: '', oauth_client_id: '', oauth_token_url: '' });
    });
    app.patch('/v3/user/webhooks/event/settings', (req, res) => {
      const account = authorise(req, res);
      if (!account) return;
      const b = body(req, res);
      if (!b) return;
      const hook = oldest(account);
      const settings = this.validate(account, b, res, hook, false);
      if (!settings) return;
      if (!hook) return res.json(view(this.add(account, settings as SendgridEventWebhookSettings, { legacy: true }), false));
      this.update(hook, settings);
      res.json(view(hook, false));
    });
    app.get('/v3/user/webhooks/event/settings/signed', (req, res) => {
      const account = authorise(req, res);
      if (!account) return;
      const hook = oldest(account);
      res.json({ id: hook?.id ?? '', public_key: hook?.signed ? hook.publicKey : '' });
    });
    app.patch('/v3/user/webhooks/event/settings/signed', (req, res) => {
      const account = authorise(req, res);
      if (!account) return;
      const hook = oldest(account);
      if (!hook) return notFound(res);
      this.toggleSigning(hook, req, res, body);
    });

    app.get('/v3/user/webhooks/event/settings/signed/:id', (req, res) => {
      const account = authorise(req, res);
      if (!account) return;
      const hook = find(account, req.params.id);
      if (!hook) return notFound(res);
      res.json({ id: hook.id, public_key: hook.signed ? hook.publicKey : '' });
    });
    app.patch('/v3/user/webhooks/event/settings/signed/:id', (req, res) => {
      const account = authorise(req, res);
      if (!account) return;
      const hook = find(account, req.params.id);
      if (!hook) return notFound(res);
      this.toggleSigning(hook, req, res, body);
    });

    app.get('/v3/user/webhooks/event/settings/:id', (req, res) => {
      const account = authorise(req, res);
      if (!account) return;
      const hook = find(account, req.params.id);
      return hook ? res.json(view(hook)) : notFound(res);
    });
    app.patch('/v3/user/webhooks/event/settings/:id', (req, res) => {
      const account = authorise(req, res);
      if (!account) return;
      const hook = find(account, req.params.id);
      if (!hook) return notFound(res);
      const b = body(req, res);
      if (!b) return;
      const settings = this.validate(account, b, res, hook, false);
      if (!settings) return;
      this.update(hook, settings);
      res.json(view(hook, false));
    });
  }

  /** The settings a create or update asks for, or undefined after answering 400. */
  private validate(
    account: string,
    b: Record<string, unknown>,
    res: Response,
    self: EmulatedEventWebhook | undefined,
    urlRequired: boolean,
  ): Partial<SendgridEventWebhookSettings> | undefined {
    const out: Partial<SendgridEventWebhookSettings> = {};
    for (const [k, v] of Object.entries(b)) {
      if (k === 'url' || k === 'friendly_name') {
        if (typeof v !== 'string') return void res.status(400).json(errorBody(`${k} must be a string`));
        out[k] = v;
      } else if (k === 'enabled' || (WEBHOOK_EVENTS as readonly string[]).includes(k)) {
        if (typeof v !== 'boolean') return void res.status(400).json(errorBody(`${k} must be a boolean`));
        (out as Record<string, boolean>)[k] = v;
      }
    }
    const url = out.url ?? self?.settings.url;
    if ((urlRequired || out.url !== undefined || out.enabled) && !/^https?:\/\/[^\s/]+\S*$/.test(url ?? ''))
      return void res.status(400).json(errorBody(`'${url ?? ''}' is not a valid url`));
    const taken = this.list(account).find((h) => h !== self && h.settings.url === out.url);
    if (out.url !== undefined && taken)
      return void res
        .status(400)
        .json(errorBody(`Webhook at '${out.url}' already exists. Please provide a unique URL.`, { id: taken.id, url: out.url }));
    return out;
  }

  private update(hook: EmulatedEventWebhook, settings: Partial<SendgridEventWebhookSettings>): void {
    hook.settings = { ...hook.settings, ...settings };
    hook.updatedDate = new Date().toISOString();
  }

  private toggleSigning(
    hook: EmulatedEventWebhook,
    req: Request,
    res: Response,
    body: (req: Request, res: Response) => Record<string, unknown> | undefined,
  ): void {
    const b = body(req, res);
    if (!b) return;
    if (typeof b.enabled !== 'boolean') return void res.status(400).json(errorBody('enabled must be a boolean'));
    hook.signed = b.enabled;
    res.json({ id: hook.id, public_key: hook.signed ? hook.publicKey : '' });
  }
}

function defaults(): SendgridEventWebhookSettings {
  return {
    enabled: false,
    url: '',
    friendly_name: null,
    ...(Object.fromEntries(WEBHOOK_EVENTS.map((e) => [e, false])) as Record<WebhookEventName, boolean>),
  };
}

/** A webhook as the API shows it: `public_key` only when signing is on (and not in create/update answers). */
function view(hook: EmulatedEventWebhook, withKey = true) {
  return {
    ...hook.settings,
    id: hook.id,
    oauth_client_id: null,
    oauth_token_url: null,
    created_date: hook.createdDate,
    updated_date: hook.updatedDate,
    ...(withKey && hook.signed ? { public_key: hook.publicKey } : {}),
  };
}
