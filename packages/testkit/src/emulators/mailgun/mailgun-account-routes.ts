import type { Express, Request, Response } from 'express';
import { rawBodyOf } from '../http-emulator';
import { formValue, formValues, MailgunForm, parseMailgunForm } from './parse-mailgun-form';

/** The webhook names a Mailgun domain accepts (`POST /v3/domains/{domain}/webhooks` `id`). */
export const MAILGUN_WEBHOOK_NAMES = [
  'accepted',
  'delivered',
  'opened',
  'clicked',
  'unsubscribed',
  'complained',
  'permanent_fail',
  'temporary_fail',
] as const;
export type MailgunWebhookName = (typeof MAILGUN_WEBHOOK_NAMES)[number];

/** At most three URLs per webhook name, as Mailgun allows. */
const MAX_URLS = 3;

/** What the account holds besides messages: per-domain webhooks and the HTTP webhook signing key. */
export interface MailgunAccountState {
  domains: readonly string[];
  /** domain -> webhook name -> URLs. */
  webhooks: Map<string, Map<string, string[]>>;
  signingKey: { value: string; rotate(): string };
}

const message = (res: Response, status: number, text: string) => res.status(status).json({ message: text });

export function domainNotFound(res: Response, domain: string): void {
  message(res, 404, `Domain not found: ${domain}`);
}

/** The request's form, or undefined after answering 400 when the body cannot be read. */
export async function readForm(req: Request, res: Response): Promise<MailgunForm | undefined> {
  try {
    return await parseMailgunForm(req.headers, rawBodyOf(req));
  } catch (e) {
    message(res, 400, `Malformed form body: ${(e as Error).message}`);
    return undefined;
  }
}

/**
 * Mounts the domain lookup (`GET /v4/domains/{domain}`, what mailgun.js `domains.get` calls), the domain
 * webhooks CRUD under `/v3/domains/{domain}/webhooks`, and `/v5/accounts/http_signing_key`. Callers have
 * already checked the API key.
 */
export function mountMailgunAccountRoutes(app: Express, state: MailgunAccountState): void {
  const hooksOf = (req: Request<{ domain: string }>, res: Response): Map<string, string[]> | undefined => {
    const domain = req.params.domain;
    if (!state.domains.includes(domain)) {
      domainNotFound(res, domain);
      return undefined;
    }
    let hooks = state.webhooks.get(domain);
    if (!hooks) state.webhooks.set(domain, (hooks = new Map()));
    return hooks;
  };

  app.get('/v4/domains/:domain', (req, res) => {
    const domain = req.params.domain;
    if (!state.domains.includes(domain)) return domainNotFound(res, domain);
    res.json({
      domain: {
        name: domain,
        state: 'active',
        type: 'custom',
        created_at: 'Mon, 06 Jan 2025 10:00:00 GMT',
        spam_action: 'disabled',
        smtp_login: `postmaster@${domain}`,
        wildcard: false,
        web_scheme: 'https',
        web_prefix: 'email',
        skip_verification: false,
        require_tls: false,
        is_disabled: false,
        id: Buffer.from(domain).toString('hex').slice(0, 24),
      },
      receiving_dns_records: [],
      sending_dns_records: [],
    });
  });

  app.get('/v3/domains/:domain/webhooks', (req, res) => {
    const hooks = hooksOf(req, res);
    if (!hooks) return;
    res.json({ webhooks: Object.fromEntries([...hooks].map(([id, urls]) => [id, { urls }])) });
  });

  app.get('/v3/domains/:domain/webhooks/:id', (req, res) => {
    const hooks = hooksOf(req, res);
    if (!hooks) return;
    const urls = hooks.get(req.params.id);
    if (!urls) return message(res, 404, 'Webhook not found');
    res.json({ webhook: { urls } });
  });

  app.post('/v3/domains/:domain/webhooks', async (req, res) => {
    const hooks = hooksOf(req, res);
    if (!hooks) return;
    const form = await readForm(req, res);
    if (!form) return;
    const id = formValue(form, 'id');
    const urls = formValues(form, 'url');
    if (!id) return message(res, 400, "Missing parameter 'id'");
    if (!(MAILGUN_WEBHOOK_NAMES as readonly string[]).includes(id)) return message(res, 400, `Invalid webhook id: ${id}`);
    if (urls.length === 0) return message(res, 400, "Missing parameter 'url'");
    if (urls.length > MAX_URLS) return message(res, 400, `Maximum of ${MAX_URLS} urls allowed per webhook`);
    if (hooks.has(id)) return message(res, 400, 'Webhook already exists');
    hooks.set(id, urls);
    res.json({ message: 'Webhook has been created', webhook: { urls } });
  });

  app.put('/v3/domains/:domain/webhooks/:id', async (req, res) => {
    const hooks = hooksOf(req, res);
    if (!hooks) return;
    if (!hooks.has(req.params.id)) return message(res, 404, 'Webhook not found');
    const form = await readForm(req, res);
    if (!form) return;
    const urls = formValues(form, 'url');
    if (urls.length === 0) return message(res, 400, "Missing parameter 'url'");
    if (urls.length > MAX_URLS) return message(res, 400, `Maximum of ${MAX_URLS} urls allowed per webhook`);
    hooks.set(req.params.id, urls);
    res.json({ message: 'Webhook has been updated', webhook: { urls } });
  });

  app.delete('/v3/domains/:domain/webhooks/:id', (req, res) => {
    const hooks = hooksOf(req, res);
    if (!hooks) return;
    const urls = hooks.get(req.params.id);
    if (!urls) return message(res, 404, 'Webhook not found');
    hooks.delete(req.params.id);
    res.json({ message: 'Webhook has been deleted', webhook: { urls } });
  });

  app.get('/v5/accounts/http_signing_key', (_req, res) => {
    res.json({ message: 'success', http_signing_key: state.signingKey.value });
  });

  app.post('/v5/accounts/http_signing_key', (_req, res) => {
    res.json({ message: 'success', http_signing_key: state.signingKey.rotate() });
  });
}
