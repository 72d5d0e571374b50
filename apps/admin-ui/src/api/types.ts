/** The /v1 answers the screens read, as the API presents them (apps/api routes and presenters). */
import type { RecipientStatus } from '@mailroom/domain/src/status';
import type { SmtpPreset } from '@mailroom/transports/src/smtp/smtp-presets';
import type { SuppressionReason } from '@mailroom/domain/src/suppression';

export type SendingMode = 'platform' | 'smtp' | 'provider';
export type OAuthVendor = 'google' | 'microsoft';
export type ProviderName = 'sendgrid' | 'mailgun' | 'mailjet';
export type { RecipientStatus, SmtpPreset, SuppressionReason };

export interface Address {
  email: string;
  name?: string;
}

/** A settings warning: a stable code (`plan_fallback`, `gmail_app_password`...) and a sentence for people. */
export interface Warning {
  code: string;
  message: string;
  /** On `last_send_failed`: the failure its message is about, with its hint's key. */
  failure?: { at: string; code: string } & HintParts;
}

export interface WebhookAnswer extends Omit<HintParts, 'hint'> {
  url: string;
  registered: boolean;
  error?: string;
  lastEventAt: string | null;
}

/** What an email is (or the next one would be) sent through; `reason` when it is not the saved mode. */
export interface TransportChoice {
  mode: SendingMode;
  provider?: ProviderName;
  reason?: 'plan_fallback';
}

export interface SettingsAnswer {
  mode: SendingMode;
  senderName: string;
  replyTo: string | null;
  cc: Address[];
  bcc: Address[];
  version?: number;
  updatedAt?: string;
  /** false when the tenant never saved settings: the answer is then the platform defaults. */
  configured?: boolean;
  /** What the next email goes through (a plan fallback says so here and in a `plan_fallback` warning). */
  transport?: TransportChoice;
  smtp?: {
    preset: SmtpPreset;
    /** `oauth2`: a mailbox connected with Google or Microsoft (`oauth`); absent in older answers: a password. */
    auth?: 'password' | 'oauth2';
    fromAddress: string;
    username: string;
    host: string;
    port: number;
    tls: boolean;
    hasPassword: boolean;
    oauth?: { vendor: OAuthVendor; via: 'smtp' | 'graph'; mailbox: string; connectedAt: string };
  };
  provider?: {
    name: ProviderName;
    fromAddress: string;
    region?: 'eu' | 'us';
    domain?: string;
    hasPrivateApiKey: boolean;
    privateApiKeyLast4: string | null;
    hasPublicApiKey?: boolean;
  };
  /** A provider's webhook; when not registered, `error` says why in English, and its hint fields by key. */
  webhook?: WebhookAnswer;
  /** The sending limits sends are counted against (null in platform mode, absent in older answers). */
  limits?: LimitsAnswer | null;
  warnings: Warning[];
  /** The modes the tenant's plan allows, and the plans that allow SMTP (for the reason shown). */
  allowedModes?: SendingMode[];
  smtpPlans?: string[];
  plan?: string;
  /** Which mailbox vendors the platform offers to connect with OAuth2. */
  oauth?: Partial<Record<OAuthVendor, boolean>>;
}

/** GET /v1/tenants/:tenantId. */
export interface TenantAnswer {
  id: string;
  name: string;
  plan: string;
  email?: string;
}

export interface TestEmailAnswer {
  ok: boolean;
  emailId: string;
  to: string;
  messageId?: string;
  error?: { code: string; message: string; response?: string } & HintParts;
}

export interface RecipientState {
  email: string;
  name?: string;
  kind: 'to' | 'cc' | 'bcc';
  status: RecipientStatus;
  reason?: string;
  responseCode?: number;
  statusCode?: string;
  bounceType?: 'hard' | 'soft';
  /** Not sent because the address is on the tenant's suppression list: why it is there, and since when. */
  suppression?: { reason: SuppressionReason; since: string };
  nextAttemptAt?: string;
  updatedAt: string;
}

/** A failure's advice: the API's English words, and the key, values and follow-up a screen words itself (hint-keys.ts). */
export interface HintParts {
  hint?: string;
  hintKey?: string;
  hintParams?: Record<string, string | number>;
  hintThen?: string;
}

export interface Attempt extends HintParts {
  at: string;
  ok: boolean;
  code?: string;
  responseCode?: number;
  response?: string;
  retryable?: boolean;
  rateLimited?: boolean;
  durationMs?: number;
}

export interface EmailEvent {
  type: string;
  at: string;
  recipient?: string;
  /** A failed attempt of ours that was for some recipients only: the ones it was for. */
  recipients?: string[];
  source: string;
  machine?: boolean;
  reason?: string;
  statusCode?: string;
}

export interface EmailRecord {
  id: string;
  status: RecipientStatus;
  subject: string;
  document?: { type: string; id: string; number?: string };
  to: Address[];
  cc: Address[];
  bcc: Address[];
  transport: TransportChoice;
  messageId?: string;
  /** While deferred: when the next try is due. */
  nextAttemptAt?: string;
  recipients: RecipientState[];
  attempts: Attempt[];
  events: EmailEvent[];
  opens: { count: number; machineCount: number; firstAt?: string; lastAt?: string; omittedFromTimeline?: number };
  attachmentCount: number;
  /** Names, types and sizes (bytes), kept after the content itself is deleted. */
  attachments?: { filename: string; contentType: string; size: number }[];
  /** When the email reached a final status: the content retention period counts from here. */
  finalAt?: string;
  /** When its text and attachments were deleted (the retention period passed). */
  contentPurgedAt?: string;
  test: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface HistoryPage {
  items: EmailRecord[];
  nextCursor: string | null;
}

export interface HistoryFilters {
  documentId?: string;
  documentType?: string;
  recipient?: string;
  status?: string;
  since?: string;
  until?: string;
}

/** One address on the tenant's suppression list (GET .../suppressions). */
export interface Suppression {
  address: string;
  reason: SuppressionReason;
  /** The email whose bounce, complaint or refusal put it there. */
  sourceEmailId?: string;
  /** The server's or provider's words, or the note of a manual entry. */
  detail?: string;
  createdAt: string;
  /** Absent: it stays until someone removes it. */
  expiresAt?: string;
}

export interface SuppressionPage {
  items: Suppression[];
  nextCursor: string | null;
}

export interface SuppressionFilters {
  addressPrefix?: string;
  reason?: string;
}

export type LimitField = 'perMinute' | 'perHour' | 'perDay';
export type Limits = Partial<Record<LimitField, number>>;

/** The settings answer's `limits`: each window's figure and whose it is, the tenant's own, the preset's with sources. */
export type LimitsAnswer = Record<LimitField, { value: number; from: 'preset' | 'tenant'; maximum?: number } | null> & {
  own: Limits;
  preset: { label: string; defaults: Limits; maximum: Limits; sources: string[]; note?: string } | null;
};
