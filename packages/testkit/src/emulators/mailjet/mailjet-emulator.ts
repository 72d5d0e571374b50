import { randomUUID } from 'node:crypto';
import type { Express, Request, Response } from 'express';
import { RunningEmulator, startHttpEmulator } from '../http-emulator';
import type {
  MailjetKeyPair,
  MailjetMessageAnswer,
  MailjetRecipientAnswer,
  MailjetSendError,
  MailjetV31Message,
  MailjetV31SendBody,
} from './mailjet-api-types';
import { answerUnauthorized, keyPairOf, sendJson } from './mailjet-auth';
import { mountEventCallbackRoutes, StoredEventCallback } from './mailjet-callback-routes';
import { validateMailjetMessage } from './validate-mailjet-message';

/**
 * A local Mailjet (contracts §3, §6) on HTTPS with the test certificate, because node-mailjet always
 * speaks `https://`: `POST /v3.1/send` with exact Basic key-pair checks, per-message validation and
 * `Errors[]`, success answers whose `MessageID`s are written as raw bigints into the JSON text, sandbox
 * mode, mixed bulk answers, and the `eventcallbackurl` registration resource. Faults (429, 500, slow,
 * dropped) come from the base emulator's `injectFault`.
 */
export interface MailjetEmulatorOptions {
  keys: MailjetKeyPair[];
  /** Senders (exact addresses, or `*@domain`) that pass the From check; absent: every sender passes. */
  validatedSenders?: string[];
  /** Total attachment bytes above which the request is refused (mj-0011, 413). Default 15 MB. */
  maxAttachmentBytes?: number;
}

export interface MailjetSentRecipient {
  kind: 'To' | 'Cc' | 'Bcc';
  email: string;
  messageUUID: string;
  /** The bigint MessageID, as decimal digits. */
  messageID: string;
}

/** A message Mailjet accepted: what was asked (parsed) and under which key, and the ids it answered. */
export interface MailjetSentMessage {
  publicKey: string;
  message: MailjetV31Message;
  sandbox: boolean;
  recipients: MailjetSentRecipient[];
  at: number;
}

export interface MailjetEmulator extends RunningEmulator {
  sent: MailjetSentMessage[];
  callbacks: StoredEventCallback[];
  /**
   * From now on, a message naming this recipient comes back as a mixed answer (HTTP 400, as bulk
   * sends with a failed item do): an `error` item for the refused recipient(s) and a `success` item
   * for the others. The default error is illustrative; pass Mailjet's own words if a test needs them.
   */
  refuseRecipient(email: string, error?: Partial<Pick<MailjetSendError, 'ErrorCode' | 'ErrorMessage' | 'StatusCode'>>): void;
  clearRefusals(): void;
}

const FIRST_MESSAGE_ID = 70650219165027410n;
const KINDS = ['To', 'Cc', 'Bcc'] as const;

function globalError(res: Response, status: number, code: string, message: string): void {
  sendJson(res, status, { ErrorIdentifier: randomUUID(), ErrorCode: code, ErrorMessage: message, StatusCode: status });
}

function parseSendBody(req: Request): MailjetV31SendBody | undefined {
  try {
    const parsed = JSON.parse((req.body as Buffer).toString('utf8')) as MailjetV31SendBody;
    return typeof parsed === 'object' && parsed !== null ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** The HTTP status of a send answer: 200 when all went through, the errors' own status when all failed alike, else 400. */
function statusOf(answers: MailjetMessageAnswer[]): number {
  const failed = answers.filter((a): a is Extract<MailjetMessageAnswer, { Status: 'error' }> => a.Status === 'error');
  if (failed.length === 0) return 200;
  if (failed.length < answers.length) return 400;
  const statuses = new Set(failed.flatMap((a) => a.Errors.map((e) => e.StatusCode)));
  return statuses.size === 1 ? [...statuses][0] : 400;
}

export async function startMailjetEmulator(options: MailjetEmulatorOptions): Promise<MailjetEmulator> {
  const sent: MailjetSentMessage[] = [];
  const callbacks: StoredEventCallback[] = [];
  const refusals = new Map<string, Partial<MailjetSendError>>();
  const maxAttachmentBytes = options.maxAttachmentBytes ?? 15 * 1024 * 1024;
  let nextMessageId = FIRST_MESSAGE_ID;

  const accept = (pair: MailjetKeyPair, m: MailjetV31Message, sandbox: boolean, only: (email: string) => boolean) => {
    const answer = { Status: 'success' as const, CustomID: m.CustomID ?? '', To: [], Cc: [], Bcc: [] } as {
      Status: 'success';
      CustomID: string;
      To: MailjetRecipientAnswer[];
      Cc: MailjetRecipientAnswer[];
      Bcc: MailjetRecipientAnswer[];
    };
    const record: MailjetSentMessage = { publicKey: pair.public, message: m, sandbox, recipients: [], at: Date.now() };
    for (const kind of KINDS) {
      for (const a of m[kind] ?? []) {
        if (!only(a.Email)) continue;
        const id = sandbox ? 0n : nextMessageId++;
        const uuid = sandbox ? '' : randomUUID();
        answer[kind].push({
          Email: a.Email,
          MessageUUID: uuid,
          MessageID: id,
          MessageHref: `https://api.mailjet.com/v3/REST/message/${id}`,
        });
        record.recipients.push({ kind, email: a.Email, messageUUID: uuid, messageID: id.toString() });
      }
    }
    sent.push(record);
    return answer;
  };

  const refusalOf = (email: string): MailjetSendError => {
    const custom = refusals.get(email.toLowerCase()) ?? {};
    return {
      ErrorIdentifier: randomUUID(),
      ErrorCode: custom.ErrorCode ?? 'send-0016',
      StatusCode: custom.StatusCode ?? 400,
      ErrorMessage: custom.ErrorMessage ?? `"${email}" is in the exclusion list of your account: the message was not sent to it.`,
      ErrorRelatedTo: ['To'],
    };
  };

  const answerMessage = (pair: MailjetKeyPair, m: MailjetV31Message, sandbox: boolean): MailjetMessageAnswer[] => {
    const everyone = KINDS.flatMap((k) => (m[k] ?? []).map((a) => a.Email));
    const refused = everyone.filter((e) => refusals.has(e.toLowerCase()));
    if (refused.length === 0) return [accept(pair, m, sandbox, () => true)];
    const errorItem: MailjetMessageAnswer = { Status: 'error', Errors: refused.map(refusalOf) };
    if (refused.length === everyone.length) return [errorItem];
    return [errorItem, accept(pair, m, sandbox, (e) => !refusals.has(e.toLowerCase()))];
  };

  const mount = (app: Express) => {
    app.post('/v3.1/send', (req, res) => {
      const pair = keyPairOf(req, options.keys);
      if (!pair) return answerUnauthorized(res);
      const body = parseSendBody(req);
      if (!body) return globalError(res, 400, 'mj-0002', 'Malformed JSON, please review the syntax and properties types.');
      if (!Array.isArray(body.Messages) || body.Messages.length === 0) {
        return globalError(res, 400, 'mj-0003', 'Missing mandatory property "Messages".');
      }
      const checked = body.Messages.map((m) => validateMailjetMessage(m, options.validatedSenders));
      if (checked.reduce((n, c) => n + c.attachmentBytes, 0) > maxAttachmentBytes) {
        return globalError(res, 413, 'mj-0011', 'Payload too large: the attachments exceed the 15 MB limit.');
      }
      const sandbox = body.SandboxMode === true;
      const answers = body.Messages.flatMap((m, i): MailjetMessageAnswer[] =>
        checked[i].errors.length > 0 ? [{ Status: 'error', Errors: checked[i].errors }] : answerMessage(pair, m, sandbox),
      );
      sendJson(res, statusOf(answers), { Messages: answers });
    });
    mountEventCallbackRoutes(app, options.keys, callbacks);
  };

  const running = await startHttpEmulator(mount, { tls: true });
  return {
    ...running,
    sent,
    callbacks,
    refuseRecipient: (email, error = {}) => void refusals.set(email.toLowerCase(), error),
    clearRefusals: () => refusals.clear(),
  };
}
