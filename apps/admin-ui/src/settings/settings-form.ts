/**
 * The settings form as plain data, and its translation to and from the API. Pure (no DOM, no
 * Preact), so the rules that matter are unit-tested: a secret left empty is left out (the API keeps
 * the stored one), a preset's server is sent only when changed, addresses split on commas or lines.
 */
import {
  IONOS_MARKETS,
  IONOS_SERVERS,
  IonosMarket,
  ionosMarketOf,
  PRESET_ENDPOINTS,
  PRESET_LIMITS,
} from '@mailroom/transports/src/smtp/smtp-presets';
import type { Address, LimitField, OAuthVendor, ProviderName, SendingMode, SettingsAnswer, SmtpPreset } from '../api/types';

export interface SmtpForm {
  preset: SmtpPreset;
  /** `oauth2`: the connected mailbox logs in (no user name or password sent); set by the saved settings. */
  auth: 'password' | 'oauth2';
  fromAddress: string;
  username: string;
  password: string;
  host: string;
  port: string;
  tls: boolean;
}

export interface ProviderForm {
  name: ProviderName;
  fromAddress: string;
  publicApiKey: string;
  privateApiKey: string;
  region: 'eu' | 'us';
  domain: string;
  webhookVerificationKey: string;
}

export interface SettingsForm {
  mode: SendingMode;
  senderName: string;
  replyTo: string;
  cc: string;
  bcc: string;
  smtp: SmtpForm;
  provider: ProviderForm;
  /** The tenant's own sending limits (`smtp` and `provider` modes); empty: the preset's default. */
  limits: LimitsForm;
}

export type LimitsForm = Record<LimitField, string>;
export const LIMIT_FIELDS: readonly LimitField[] = ['perMinute', 'perHour', 'perDay'];

/** The published limits of the form's server (an SMTP preset's), shown beside the fields; none for `other` and providers. */
export function presetLimitsOf(f: Pick<SettingsForm, 'mode' | 'smtp'>): (typeof PRESET_LIMITS)[keyof typeof PRESET_LIMITS] | undefined {
  return f.mode === 'smtp' && f.smtp.preset !== 'other' ? PRESET_LIMITS[f.smtp.preset] : undefined;
}

export const MODES: readonly SendingMode[] = ['platform', 'smtp', 'provider'];
export const PRESETS: readonly SmtpPreset[] = ['gmail', 'outlook', 'ionos', 'other'];
export const PROVIDERS: readonly ProviderName[] = ['sendgrid', 'mailgun', 'mailjet'];

/** Host, port and TLS a preset fills in (`other` fills nothing). */
export function presetEndpoint(preset: SmtpPreset): { host: string; port: number; tls: boolean } | undefined {
  return preset === 'other' ? undefined : PRESET_ENDPOINTS[preset];
}

export function formatAddresses(list: Address[]): string {
  return list.map((a) => (a.name ? `${a.name} <${a.email}>` : a.email)).join(', ');
}

/** "a@b.c, Ana <ana@b.c>\nd@e.f" as the API's address list. Validation is the API's: it names the bad entry. */
export function parseAddresses(text: string): Address[] {
  return text
    .split(/[,;\n]/)
    .map((s) => s.trim())
    .filter(Boolean)
    .map((entry) => {
      const m = /^(.*?)\s*<([^<>]+)>$/.exec(entry);
      if (!m) return { email: entry };
      const name = m[1].trim().replace(/^"(.*)"$/, '$1');
      return name ? { email: m[2].trim(), name } : { email: m[2].trim() };
    });
}

export function formFromSettings(s: SettingsAnswer | null): SettingsForm {
  const smtp = s?.smtp;
  const p = s?.provider;
  const gmail = PRESET_ENDPOINTS.gmail;
  return {
    mode: s?.mode ?? 'platform',
    senderName: s?.senderName ?? '',
    replyTo: s?.replyTo ?? '',
    cc: formatAddresses(s?.cc ?? []),
    bcc: formatAddresses(s?.bcc ?? []),
    smtp: {
      preset: smtp?.preset ?? 'gmail',
      auth: smtp?.auth ?? 'password',
      fromAddress: smtp?.fromAddress ?? '',
      username: smtp?.username ?? '',
      password: '',
      host: smtp?.host ?? gmail.host,
      port: String(smtp?.port ?? gmail.port),
      tls: smtp?.tls ?? gmail.tls,
    },
    provider: {
      name: p?.name ?? 'sendgrid',
      fromAddress: p?.fromAddress ?? '',
      publicApiKey: '',
      privateApiKey: '',
      region: p?.region ?? 'eu',
      domain: p?.domain ?? '',
      webhookVerificationKey: '',
    },
    limits: {
      perMinute: String(s?.limits?.own.perMinute ?? ''),
      perHour: String(s?.limits?.own.perHour ?? ''),
      perDay: String(s?.limits?.own.perDay ?? ''),
    },
  };
}

/** The vendor whose mailboxes a preset can connect with OAuth2. */
export function oauthVendorOf(preset: SmtpPreset): OAuthVendor | undefined {
  return preset === 'gmail' ? 'google' : preset === 'outlook' ? 'microsoft' : undefined;
}

/** Choosing a preset fills its server in; `other` keeps what was typed. A connection with another vendor is left. */
export function withPreset(smtp: SmtpForm, preset: SmtpPreset): SmtpForm {
  const e = presetEndpoint(preset);
  // A connected mailbox belongs to its vendor's preset: another preset logs in with a password.
  const auth = oauthVendorOf(preset) === oauthVendorOf(smtp.preset) ? smtp.auth : 'password';
  return e ? { ...smtp, preset, auth, host: e.host, port: String(e.port), tls: e.tls } : { ...smtp, preset, auth };
}

export { IONOS_MARKETS, type IonosMarket };

/** The IONOS market the form's server belongs to; `other` for a server typed by hand. */
export function ionosMarketOfForm(smtp: SmtpForm): IonosMarket | 'other' {
  return ionosMarketOf(smtp.host) ?? 'other';
}

/** Choosing the IONOS contract's market sends through that market's server, on the same port and TLS. */
export function withIonosMarket(smtp: SmtpForm, market: IonosMarket): SmtpForm {
  return { ...smtp, host: IONOS_SERVERS[market] };
}

const blank = (s: string) => s.trim() === '';

/** The PUT (or test-before-saving) body. Only the active mode's block is sent. */
export function bodyFromForm(f: SettingsForm): Record<string, unknown> {
  const body: Record<string, unknown> = {
    mode: f.mode,
    senderName: f.senderName.trim(),
    cc: parseAddresses(f.cc),
    bcc: parseAddresses(f.bcc),
  };
  if (!blank(f.replyTo)) body.replyTo = f.replyTo.trim();
  if (f.mode === 'smtp') body.smtp = smtpBody(f.smtp);
  if (f.mode === 'provider') body.provider = providerBody(f.provider);
  const limits = limitsBody(f.limits);
  if (f.mode !== 'platform' && limits) body.limits = limits;
  return body;
}

/** The figures typed, as numbers (anything else as typed: the API names the field); undefined when all are empty. */
function limitsBody(l: LimitsForm): Record<string, number | string> | undefined {
  const out: Record<string, number | string> = {};
  for (const f of LIMIT_FIELDS) {
    if (blank(l[f])) continue;
    const n = Number(l[f].trim());
    out[f] = Number.isFinite(n) ? n : l[f].trim();
  }
  return Object.keys(out).length ? out : undefined;
}

function smtpBody(s: SmtpForm): Record<string, unknown> {
  // A connected mailbox logs in as itself: no user name, no password.
  const out: Record<string, unknown> =
    s.auth === 'oauth2'
      ? { preset: s.preset, auth: 'oauth2', fromAddress: s.fromAddress.trim() }
      : { preset: s.preset, fromAddress: s.fromAddress.trim(), username: s.username.trim() };
  if (s.auth !== 'oauth2' && s.password !== '') out.password = s.password;
  return { ...out, ...serverOverrides(s) };
}

/** The secrets a settings body may carry: left out of the form once saved, so never part of what a test result is about. */
const SECRET_FIELDS = new Set(['password', 'privateApiKey', 'publicApiKey', 'webhookVerificationKey']);

/**
 * What a test email's result is about: the settings as the form has them, secrets aside (a saved
 * secret leaves its field empty, and the result of the draft just saved still holds). Another mode,
 * provider, server or sender is another key, and the earlier result no longer speaks for the form.
 */
export function testedSettingsKey(body: Record<string, unknown>): string {
  return JSON.stringify(body, (k, v: unknown) => (SECRET_FIELDS.has(k) ? undefined : v));
}

/**
 * Whether the stored password still applies to what the form holds: the API keeps it only for the
 * same host, port and user name (it never goes to another server), so a change asks for it again.
 */
export function storedPasswordApplies(s: SmtpForm, saved: SettingsAnswer['smtp'] | undefined): boolean {
  if (!saved?.hasPassword) return false;
  const same = (a: string, b: string) => a.trim().toLowerCase() === b.toLowerCase();
  return same(s.host, saved.host) && Number(s.port) === saved.port && same(s.username, saved.username);
}

/** A preset's server goes only when changed, so the preset stays the source of truth (also for an OAuth connection's start). */
export function serverOverrides(s: SmtpForm): { host?: string; port?: number | string; tls?: boolean } {
  const out: { host?: string; port?: number | string; tls?: boolean } = {};
  const preset = presetEndpoint(s.preset);
  const port = blank(s.port) ? undefined : Number(s.port);
  if (!preset || s.host.trim() !== preset.host || port !== preset.port || s.tls !== preset.tls) {
    if (!blank(s.host)) out.host = s.host.trim();
    if (port !== undefined) out.port = Number.isFinite(port) ? port : s.port;
    out.tls = s.tls;
  }
  return out;
}

function providerBody(p: ProviderForm): Record<string, unknown> {
  const out: Record<string, unknown> = { name: p.name, fromAddress: p.fromAddress.trim() };
  if (!blank(p.privateApiKey)) out.privateApiKey = p.privateApiKey.trim();
  if (p.name === 'mailjet' && !blank(p.publicApiKey)) out.publicApiKey = p.publicApiKey.trim();
  if (p.name === 'mailgun') {
    out.region = p.region;
    if (!blank(p.domain)) out.domain = p.domain.trim();
  }
  if (!blank(p.webhookVerificationKey)) out.webhookVerificationKey = p.webhookVerificationKey.trim();
  return out;
}

/**
 * The API names fields by path (`smtp.password`, `cc.2.email`); the form shows one message per
 * input. An entry of a list points at the list's box.
 */
export function fieldOf(apiField: string): string {
  const m = /^(cc|bcc)(\.|$)/.exec(apiField);
  return m ? m[1] : apiField;
}

/** The API's field errors keyed by the input that shows them; `words` puts each in the reader's language. */
export function errorsByField(
  details: { field: string; message: string }[],
  words: (field: string, message: string) => string = (_f, m) => m,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const d of details) {
    const f = fieldOf(d.field);
    const message = words(d.field, d.message);
    if (out[f]?.split('; ').includes(message)) continue;
    out[f] = out[f] ? `${out[f]}; ${message}` : message;
  }
  return out;
}

/** The value at an API field path (`smtp.host`, `cc`) in a settings body. */
function valueAt(body: Record<string, unknown>, field: string): string | undefined {
  let v: unknown = body;
  for (const part of field.split('.')) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[part] : undefined;
  return JSON.stringify(v);
}

/** The field errors (errorsByField's) whose field the edit from `before` to `after` left as it was. */
export function errorsStillStanding(
  errors: Record<string, string>,
  before: Record<string, unknown>,
  after: Record<string, unknown>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [field, message] of Object.entries(errors)) if (valueAt(before, field) === valueAt(after, field)) out[field] = message;
  return out;
}

/** Which modes the plan allows; an older API that does not say allows all (it refuses on save). */
export function allowedModes(s: SettingsAnswer | null): readonly SendingMode[] {
  return s?.allowedModes ?? MODES;
}
