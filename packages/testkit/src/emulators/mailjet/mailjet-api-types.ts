/** The shapes of Mailjet's Send API v3.1 and REST v3 as the emulator reads and writes them (contracts §3). */

export interface MailjetKeyPair {
  public: string;
  private: string;
}

export interface MailjetAddress {
  Email: string;
  Name?: string;
}

export interface MailjetAttachment {
  ContentType: string;
  Filename: string;
  Base64Content: string;
  ContentID?: string;
}

/** One `Messages[]` item of a v3.1 send request, as received (unchecked until validated). */
export interface MailjetV31Message {
  From?: MailjetAddress;
  Sender?: MailjetAddress;
  To?: MailjetAddress[];
  Cc?: MailjetAddress[];
  Bcc?: MailjetAddress[];
  ReplyTo?: MailjetAddress;
  Subject?: string;
  TextPart?: string;
  HTMLPart?: string;
  TemplateID?: number;
  Attachments?: MailjetAttachment[];
  InlinedAttachments?: MailjetAttachment[];
  Headers?: Record<string, string>;
  CustomID?: string;
  EventPayload?: string;
  TrackOpens?: string;
  TrackClicks?: string;
  [property: string]: unknown;
}

export interface MailjetV31SendBody {
  Messages: MailjetV31Message[];
  SandboxMode?: boolean;
}

/** One entry of a per-message `Errors[]` (and, without `ErrorRelatedTo`, the global error body). */
export interface MailjetSendError {
  ErrorIdentifier: string;
  ErrorCode: string;
  StatusCode: number;
  ErrorMessage: string;
  ErrorRelatedTo?: string[];
}

export interface MailjetRecipientAnswer {
  Email: string;
  MessageUUID: string;
  /** Written into the JSON text as raw digits. */
  MessageID: bigint;
  MessageHref: string;
}

export type MailjetMessageAnswer =
  | { Status: 'success'; CustomID: string; To: MailjetRecipientAnswer[]; Cc: MailjetRecipientAnswer[]; Bcc: MailjetRecipientAnswer[] }
  | { Status: 'error'; Errors: MailjetSendError[] };

export const MAILJET_EVENT_TYPES = ['sent', 'open', 'click', 'bounce', 'blocked', 'spam', 'unsub'] as const;
export type MailjetEventType = (typeof MAILJET_EVENT_TYPES)[number];

/** A `/v3/REST/eventcallbackurl` resource. */
export interface MailjetEventCallback {
  ID: number;
  APIKeyID: number;
  EventType: MailjetEventType;
  IsBackup: boolean;
  Status: 'alive' | 'deleted';
  Url: string;
  Version: number;
}
