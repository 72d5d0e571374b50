import { randomUUID } from 'node:crypto';
import { simpleParser, ParsedMail, AddressObject } from 'mailparser';
import type { Response } from 'express';
import { rawBodyOf, RunningEmulator, startHttpEmulator } from '../http-emulator';
import { GRAPH_ERRORS, GraphErrorAnswer } from './graph-errors';

export const GRAPH_MAIL_SEND_SCOPE = 'https://graph.microsoft.com/Mail.Send';
const MAX_REQUEST_BYTES = 4 * 1024 * 1024;

export interface GraphEmulatorOptions {
  /**
   * Who a live access token belongs to and what it may do, or undefined for a bad one: the OAuth
   * emulator's `isValidAccessToken` fits (`tokenOwner: (t) => oauth.isValidAccessToken(t)`).
   */
  tokenOwner(accessToken: string): { email: string; scopes: string[] } | undefined;
  /** Whether a token was ever issued (an expired one reads "Lifetime validation failed"). */
  tokenIssued?(accessToken: string): boolean;
  /** Mailbox (lower case) -> other From addresses it may send as. */
  sendAs?: Record<string, string[]>;
  tls?: boolean;
}

export interface GraphSentMessage {
  /** The signed-in mailbox the token belongs to. */
  mailbox: string;
  /** The MIME message as decoded from the base64 body. */
  raw: Buffer;
  parsed: ParsedMail;
  /** To, Cc and Bcc from the MIME headers: Graph has no envelope, so Bcc must be in the message. */
  recipients: string[];
  at: number;
}

export interface GraphEmulator extends RunningEmulator {
  /** Messages answered 202, in arrival order. */
  sent: GraphSentMessage[];
  /** The next `times` sends answer 429 ApplicationThrottled with Retry-After. */
  throttleNext(retryAfterSeconds: number, times?: number): void;
  /** The next send answers 503 with Retry-After. */
  unavailableNext(retryAfterSeconds: number): void;
}

/**
 * A local Microsoft Graph with the one call Mailroom makes: `POST /v1.0/me/sendMail` in the MIME form
 * (learn.microsoft.com/graph/outlook-send-mime-message): `Content-Type: text/plain`, the RFC 5322
 * message base64-encoded as the body, a Bearer token for the mailbox with Mail.Send; 202 and no body.
 * It checks the token, the base64, the MIME, the recipients and the From (SendAs), and keeps each
 * message parsed for assertions.
 */
export async function startGraphEmulator(options: GraphEmulatorOptions): Promise<GraphEmulator> {
  const sent: GraphSentMessage[] = [];
  const emulator = await startHttpEmulator(
    (app) => {
      app.post('/v1.0/me/sendMail', (req, res) => {
        void sendMail(options, rawBodyOf(req), req.headers.authorization, req.headers['content-type'], sent).then((answer) => {
          if (answer) return reply(res, answer);
          res.status(202).set('request-id', randomUUID()).end();
        });
      });
    },
    { tls: options.tls },
  );
  const fault = (answer: GraphErrorAnswer) =>
    emulator.injectFault(
      { kind: 'status', status: answer.status, body: answer.body, headers: answer.headers },
      (req) => req.path === '/v1.0/me/sendMail',
    );
  return {
    ...emulator,
    sent,
    throttleNext: (seconds, times = 1) => {
      for (let i = 0; i < times; i += 1) fault(GRAPH_ERRORS.throttled(seconds));
    },
    unavailableNext: (seconds) => fault(GRAPH_ERRORS.unavailable(seconds)),
  };
}

async function sendMail(
  options: GraphEmulatorOptions,
  body: Buffer,
  authorization: string | undefined,
  contentType: string | undefined,
  sent: GraphSentMessage[],
): Promise<GraphErrorAnswer | undefined> {
  const token = /^Bearer (.+)$/i.exec(authorization ?? '')?.[1]?.trim();
  if (!token) return GRAPH_ERRORS.tokenMissing();
  const owner = options.tokenOwner(token);
  if (!owner) return options.tokenIssued?.(token) ? GRAPH_ERRORS.tokenExpired() : GRAPH_ERRORS.tokenInvalid();
  if (!owner.scopes.includes(GRAPH_MAIL_SEND_SCOPE)) return GRAPH_ERRORS.accessDenied();
  if (body.length > MAX_REQUEST_BYTES) return GRAPH_ERRORS.tooLarge();
  if (!/^text\/plain\b/i.test(contentType ?? '')) return GRAPH_ERRORS.notMimeRequest();

  const text = body.toString('latin1').replace(/\r?\n/g, '');
  if (text.length === 0 || text.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(text)) return GRAPH_ERRORS.notBase64();
  const raw = Buffer.from(text, 'base64');
  const parsed = await simpleParser(raw).catch(() => undefined);
  if (!parsed?.from || !/^[\x21-\x7e]+:/m.test(raw.subarray(0, 2000).toString('latin1'))) return GRAPH_ERRORS.notMime();

  const recipients = [parsed.to, parsed.cc, parsed.bcc].flatMap(addressesOf);
  if (recipients.length === 0) return GRAPH_ERRORS.noRecipients();
  const from = parsed.from.value[0]?.address?.toLowerCase();
  const mailbox = owner.email.toLowerCase();
  const allowed = [mailbox, ...(options.sendAs?.[mailbox] ?? []).map((a) => a.toLowerCase())];
  if (!from || !allowed.includes(from)) return GRAPH_ERRORS.sendAsDenied();

  sent.push({ mailbox: owner.email, raw, parsed, recipients, at: Date.now() });
  return undefined;
}

function addressesOf(field: AddressObject | AddressObject[] | undefined): string[] {
  if (!field) return [];
  return (Array.isArray(field) ? field : [field]).flatMap((o) => o.value.map((v) => v.address ?? '')).filter(Boolean);
}

function reply(res: Response, answer: GraphErrorAnswer): void {
  res.status(answer.status);
  for (const [k, v] of Object.entries(answer.headers ?? {})) res.setHeader(k, v);
  res.json(answer.body);
}
