import type { Express, Request, Response } from 'express';
import { MAILJET_EVENT_TYPES, MailjetEventCallback, MailjetEventType, MailjetKeyPair } from './mailjet-api-types';
import { answerUnauthorized, keyPairOf, sendJson } from './mailjet-auth';

/**
 * The REST v3 `eventcallbackurl` resource (one callback URL per event type and account), as
 * node-mailjet reaches it: `GET|POST /v3/REST/eventcallbackurl`, `GET|PUT|DELETE /v3/REST/eventcallbackurl/:id`.
 * Answers use REST v3's envelope `{ Count, Data, Total }` and its error body `{ ErrorInfo, ErrorMessage, StatusCode }`.
 */
export interface StoredEventCallback extends MailjetEventCallback {
  /** The account (public key) that owns it. */
  publicKey: string;
}

function restError(res: Response, status: number, message: string): void {
  sendJson(res, status, { ErrorInfo: '', ErrorMessage: message, StatusCode: status });
}

function view({ publicKey: _owner, ...callback }: StoredEventCallback): MailjetEventCallback {
  return callback;
}

function readJson(req: Request): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse((req.body as Buffer).toString('utf8'));
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function isEventType(v: unknown): v is MailjetEventType {
  return typeof v === 'string' && (MAILJET_EVENT_TYPES as readonly string[]).includes(v);
}

function checkUrl(v: unknown): string | undefined {
  if (typeof v !== 'string') return 'Url is mandatory';
  try {
    const u = new URL(v);
    return u.protocol === 'https:' || u.protocol === 'http:' ? undefined : 'Url must be http or https';
  } catch {
    return `Invalid Url "${v}"`;
  }
}

export function mountEventCallbackRoutes(app: Express, keys: MailjetKeyPair[], callbacks: StoredEventCallback[]): void {
  let nextId = 1;
  const base = '/v3/REST/eventcallbackurl';
  const owned = (req: Request, res: Response): MailjetKeyPair | undefined => {
    const pair = keyPairOf(req, keys);
    if (!pair) answerUnauthorized(res);
    return pair;
  };
  const find = (pair: MailjetKeyPair, id: string) => callbacks.find((c) => c.publicKey === pair.public && String(c.ID) === id);

  app.get(base, (req, res) => {
    const pair = owned(req, res);
    if (!pair) return;
    const mine = callbacks.filter((c) => c.publicKey === pair.public).map(view);
    sendJson(res, 200, { Count: mine.length, Data: mine, Total: mine.length });
  });

  app.post(base, (req, res) => {
    const pair = owned(req, res);
    if (!pair) return;
    const body = readJson(req);
    if (!body) return restError(res, 400, 'Malformed JSON');
    if (!isEventType(body.EventType)) return restError(res, 400, `Invalid EventType "${String(body.EventType)}"`);
    const urlProblem = checkUrl(body.Url);
    if (urlProblem) return restError(res, 400, urlProblem);
    const isBackup = body.IsBackup === true;
    if (callbacks.some((c) => c.publicKey === pair.public && c.EventType === body.EventType && c.IsBackup === isBackup)) {
      return restError(res, 400, `A callback URL already exists for EventType "${body.EventType}"`);
    }
    const created: StoredEventCallback = {
      ID: nextId++,
      APIKeyID: keys.indexOf(pair) + 1,
      EventType: body.EventType,
      IsBackup: isBackup,
      Status: 'alive',
      Url: body.Url as string,
      Version: typeof body.Version === 'number' ? body.Version : 1,
      publicKey: pair.public,
    };
    callbacks.push(created);
    sendJson(res, 201, { Count: 1, Data: [view(created)], Total: 1 });
  });

  app.get(`${base}/:id`, (req, res) => {
    const pair = owned(req, res);
    if (!pair) return;
    const found = find(pair, req.params.id);
    if (!found) return restError(res, 404, 'Object not found');
    sendJson(res, 200, { Count: 1, Data: [view(found)], Total: 1 });
  });

  app.put(`${base}/:id`, (req, res) => {
    const pair = owned(req, res);
    if (!pair) return;
    const found = find(pair, req.params.id);
    if (!found) return restError(res, 404, 'Object not found');
    const body = readJson(req);
    if (!body) return restError(res, 400, 'Malformed JSON');
    if (body.EventType !== undefined && body.EventType !== found.EventType) return restError(res, 400, 'EventType cannot be changed');
    if (body.Url !== undefined) {
      const urlProblem = checkUrl(body.Url);
      if (urlProblem) return restError(res, 400, urlProblem);
      found.Url = body.Url as string;
    }
    if (typeof body.Version === 'number') found.Version = body.Version;
    if (typeof body.IsBackup === 'boolean') found.IsBackup = body.IsBackup;
    if (body.Status === 'alive') found.Status = 'alive';
    sendJson(res, 200, { Count: 1, Data: [view(found)], Total: 1 });
  });

  app.delete(`${base}/:id`, (req, res) => {
    const pair = owned(req, res);
    if (!pair) return;
    const found = find(pair, req.params.id);
    if (!found) return restError(res, 404, 'Object not found');
    callbacks.splice(callbacks.indexOf(found), 1);
    res.status(204).end();
  });
}
