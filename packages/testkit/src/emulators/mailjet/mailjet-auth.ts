import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';
import type { MailjetKeyPair } from './mailjet-api-types';
import { stringifyWithRawBigints } from './raw-bigint-json';

/**
 * Mailjet's API authentication: HTTP Basic `APIKEY_PUBLIC:APIKEY_PRIVATE`, checked exactly against
 * the key pairs the emulator knows. A miss is answered 401 with `mj-0015`, as in contracts §3.1.
 */
export function keyPairOf(req: Request, keys: MailjetKeyPair[]): MailjetKeyPair | undefined {
  const header = req.headers.authorization ?? '';
  const match = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header.trim());
  if (!match) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  const user = decoded.slice(0, colon);
  const password = decoded.slice(colon + 1);
  return keys.find((k) => k.public === user && k.private === password);
}

export function answerUnauthorized(res: Response): void {
  sendJson(res, 401, {
    ErrorIdentifier: randomUUID(),
    ErrorCode: 'mj-0015',
    StatusCode: 401,
    ErrorMessage:
      'API key authentication/authorization failure. You may be unauthorized to access the API or your API key may be expired. Visit API keys management section to check your keys.',
  });
}

/** Writes the JSON text by hand so that bigint values keep every digit. */
export function sendJson(res: Response, status: number, body: unknown): void {
  res.status(status).type('application/json; charset=UTF-8').send(stringifyWithRawBigints(body));
}
