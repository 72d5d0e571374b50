import {
  emailAddressSchema,
  headerSafeString,
  settingsWarning,
  typeError,
  type SealedSecret,
  type SettingsWarning,
  type TransportSettings,
} from '@mailroom/domain';
import { z } from 'zod';
import type { LastFailure } from '../provider-module';
import { SettingsFieldError, type TenantSecrets } from '../tenant-secrets';
import { PRESET_ENDPOINTS, SMTP_PRESETS, SmtpEndpoint, SmtpPreset } from './smtp-presets';

/** How the tenant logs in: its password (sealed), or a mailbox connected with OAuth2 (smtp-oauth.ts). */
export const SMTP_AUTHS = ['password', 'oauth2'] as const;
export type SmtpAuth = (typeof SMTP_AUTHS)[number];

/** A Gmail or Microsoft 365 mailbox connected with OAuth2: the grant's tokens sealed, never shown. */
export interface SmtpOAuthConnection {
  vendor: 'google' | 'microsoft';
  /** XOAUTH2 over SMTP, or (Microsoft only) Graph's sendMail. */
  via: 'smtp' | 'graph';
  /** The mailbox the id token named: the XOAUTH2 user. */
  mailbox: string;
  /** Sealed (`smtp.oauth.refreshToken`). */
  refreshToken: SealedSecret;
  /** Sealed (`smtp.oauth.accessToken`): the last one issued, shared by every worker until it nears expiry. */
  accessToken?: SealedSecret;
  /** Epoch ms. */
  accessTokenExpiresAt?: number;
  connectedAt: string;
}

/** `smtp` mode, as stored. */
export interface SmtpSettings extends TransportSettings {
  preset: SmtpPreset;
  fromAddress: string;
  username: string;
  host: string;
  port: number;
  tls: boolean;
  /** Absent in settings stored before OAuth2: a password. */
  auth?: SmtpAuth;
  /** Sealed (`smtp.password`). */
  password?: SealedSecret;
  oauth?: SmtpOAuthConnection;
}

export const SMTP_PASSWORD_FIELD = 'smtp.password';

/** The presets a connected mailbox sends through, by vendor. */
export const OAUTH_PRESETS: Record<SmtpOAuthConnection['vendor'], 'gmail' | 'outlook'> = { google: 'gmail', microsoft: 'outlook' };

/** A mail server's overrides of a preset (a PUT's `smtp`, and an OAuth connection's start). */
export const mailServerShape = {
  host: z
    .string()
    .trim()
    .min(1)
    .max(253)
    .regex(/^[A-Za-z0-9.-]+$|^\[?[0-9a-fA-F:.]+\]?$/, 'host must be a host name or IP address')
    .optional(),
  port: z
    .number({ error: typeError('port', 'port must be a number') })
    .int()
    .min(1)
    .max(65535)
    .optional(),
  tls: z.boolean({ error: typeError('tls', 'tls must be true (implicit TLS) or false (STARTTLS, required)') }).optional(),
};

export const smtpInputSchema = z
  .strictObject({
    preset: z.enum(SMTP_PRESETS, { error: `preset must be one of ${SMTP_PRESETS.join(', ')}` }),
    auth: z.enum(SMTP_AUTHS, { error: 'auth must be "password" or "oauth2"' }).optional(),
    fromAddress: emailAddressSchema,
    username: headerSafeString('username', 320).min(1, 'username is required').optional(),
    password: z.string().min(1, 'password must not be empty').max(1024).optional(),
    ...mailServerShape,
  })
  .superRefine((s, ctx) => {
    if (s.preset === 'other') {
      for (const f of ['host', 'port', 'tls'] as const) {
        if (s[f] === undefined) ctx.addIssue({ code: 'custom', path: [f], message: `${f} is required when preset is "other"` });
      }
    }
    if (s.auth === 'oauth2') {
      if (s.password !== undefined)
        ctx.addIssue({ code: 'custom', path: ['password'], message: 'a mailbox connected with OAuth2 has no password: leave it out' });
      if (s.preset !== 'gmail' && s.preset !== 'outlook')
        ctx.addIssue({
          code: 'custom',
          path: ['preset'],
          message: 'OAuth2 connects Gmail (preset "gmail") or Microsoft 365 (preset "outlook")',
        });
    } else if (s.username === undefined) {
      ctx.addIssue({ code: 'custom', path: ['username'], message: 'username is required' });
    }
  });
export type SmtpSettingsInput = z.infer<typeof smtpInputSchema>;

/** Fills host/port/tls from the preset, keeping what the user overrode. */
export function resolveSmtpEndpoint(input: { preset: SmtpPreset; host?: string; port?: number; tls?: boolean }): SmtpEndpoint {
  const preset = input.preset === 'other' ? undefined : PRESET_ENDPOINTS[input.preset];
  return {
    host: input.host ?? preset!.host,
    port: input.port ?? preset!.port,
    tls: input.tls ?? (input.port !== undefined ? input.port === 465 : preset!.tls),
  };
}

/**
 * What is stored from a PUT (and what a draft test sends with): a password sealed, or the stored one
 * kept when left out; an OAuth2 connection kept as the callback made it (a PUT can change the sender
 * and the alias, never the tokens). A stored secret only ever goes to the server it was given for: a
 * password left out while the host, the port or the username changes is asked for again, and a
 * connected mailbox's server changes only by connecting it again. Otherwise anyone holding the
 * tenant's token (the admin screen's) could point the settings at a server of their own and receive
 * the password or the mailbox's access token in its AUTH exchange without ever knowing them.
 */
export function storeSmtpSettings(input: SmtpSettingsInput, previous: SmtpSettings | undefined, secrets: TenantSecrets): SmtpSettings {
  const endpoint = resolveSmtpEndpoint(input);
  if (input.auth === 'oauth2') {
    const oauth = previous?.auth === 'oauth2' ? previous.oauth : undefined;
    if (!oauth)
      throw new SettingsFieldError(
        'auth',
        `no mailbox is connected: connect it first with POST /v1/tenants/${secrets.tenantId}/email-settings/oauth/{google,microsoft}/start`,
      );
    if (OAUTH_PRESETS[oauth.vendor] !== input.preset)
      throw new SettingsFieldError(
        'preset',
        `the connected mailbox is a ${oauth.vendor} one: its preset is "${OAUTH_PRESETS[oauth.vendor]}"`,
      );
    if (input.username !== undefined && input.username.toLowerCase() !== oauth.mailbox.toLowerCase())
      throw new SettingsFieldError('username', `the connected mailbox is ${oauth.mailbox}: connect another one to change it`);
    // The server stays with the connection (previous is the connected settings here): left out, it is kept.
    const connected = previous!;
    const server = input.host === undefined && input.port === undefined && input.tls === undefined ? serverOf(connected) : endpoint;
    if (!sameServer(connected, server))
      throw new SettingsFieldError(
        'host',
        `the connected mailbox sends through ${serverName(connected)}: to use another server, connect the mailbox again with it (POST /v1/tenants/${secrets.tenantId}/email-settings/oauth/${oauth.vendor}/start with host and port)`,
      );
    return { preset: input.preset, auth: 'oauth2', fromAddress: input.fromAddress, username: oauth.mailbox, ...server, oauth };
  }
  const stored = previous?.auth !== 'oauth2' ? previous?.password : undefined;
  const sameLogin = previous !== undefined && sameServer(previous, endpoint) && sameText(previous.username, input.username!);
  if (input.password === undefined && stored && !sameLogin)
    throw new SettingsFieldError(
      'password',
      `password is required again when the host, the port or the username changes: the stored one is for ${previous!.username} on ${serverName(previous!)}`,
    );
  const password = input.password !== undefined ? secrets.seal(SMTP_PASSWORD_FIELD, input.password) : stored;
  if (!password) throw new SettingsFieldError('password', 'password is required the first time SMTP is configured');
  return { preset: input.preset, auth: 'password', fromAddress: input.fromAddress, username: input.username!, ...endpoint, password };
}

/** The same server: host names compare without case; TLS may change (certificates are verified either way). */
function sameServer(previous: SmtpSettings, endpoint: SmtpEndpoint): boolean {
  return sameText(previous.host, endpoint.host) && previous.port === endpoint.port;
}

function serverOf(s: SmtpSettings): SmtpEndpoint {
  return { host: s.host, port: s.port, tls: s.tls };
}

function sameText(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

function serverName(s: SmtpSettings): string {
  return `${s.host}:${s.port}`;
}

/** What presentSmtpSettings answers: the settings answer's `smtp`. */
export const presentedSmtpSchema = z.strictObject({
  preset: z.enum(SMTP_PRESETS),
  auth: z.enum(SMTP_AUTHS),
  fromAddress: z.string(),
  username: z.string(),
  host: z.string(),
  port: z.number().int(),
  tls: z.boolean(),
  hasPassword: z.boolean(),
  oauth: z
    .strictObject({ vendor: z.enum(['google', 'microsoft']), via: z.enum(['smtp', 'graph']), mailbox: z.string(), connectedAt: z.string() })
    .optional(),
});

/** As the API shows it: whether a password is set, the connected mailbox; never a token. */
export function presentSmtpSettings(s: SmtpSettings): z.input<typeof presentedSmtpSchema> {
  const oauth = s.auth === 'oauth2' ? s.oauth : undefined;
  return {
    preset: s.preset,
    auth: s.auth ?? 'password',
    fromAddress: s.fromAddress,
    username: s.username,
    host: s.host,
    port: s.port,
    tls: s.tls,
    hasPassword: Boolean(s.password) && !oauth,
    ...(oauth ? { oauth: { vendor: oauth.vendor, via: oauth.via, mailbox: oauth.mailbox, connectedAt: oauth.connectedAt } } : {}),
  };
}

const WHO: Record<Exclude<SmtpPreset, 'other'>, string> = { gmail: 'Gmail', outlook: 'Office 365', ionos: 'IONOS' };

/** The seed's advice as behaviour: what will not stop a save but will bite later. */
export function smtpSettingsWarnings(s: SmtpSettings): SettingsWarning[] {
  const out: SettingsWarning[] = [];
  if (s.preset !== 'other' && s.fromAddress.toLowerCase() !== s.username.toLowerCase()) {
    out.push(
      settingsWarning(
        'from_differs_from_username',
        `fromAddress (${s.fromAddress}) differs from the SMTP username (${s.username}): ${WHO[s.preset]} may rewrite or refuse the sender unless it is an alias the account may send as. Use the same address for both.`,
      ),
    );
  }
  if (s.oauth?.via === 'graph') return out;
  if (s.tls === false && s.port === 465)
    out.push(
      settingsWarning('port_tls_mismatch', 'port 465 expects TLS from the first byte: set tls to true, or use port 587 with STARTTLS.'),
    );
  if (s.tls === true && s.port === 587)
    out.push(
      settingsWarning('port_tls_mismatch', 'port 587 speaks STARTTLS: set tls to false (STARTTLS is still required), or use port 465.'),
    );
  return out;
}

/**
 * A remembered failure in this mode's words: a dead OAuth grant asks for a reconnect (the code the
 * admin screen acts on); Gmail refusing a password asks for an app password.
 */
export function smtpFailureWarning(f: LastFailure, s: SmtpSettings): SettingsWarning | undefined {
  if (f.code === 'oauth_reconnect_required')
    return settingsWarning(
      'oauth_reconnect_required',
      `the mailbox must be connected again (${f.at}): ${f.hint ?? 'reconnect it in the email settings'}`,
    );
  if (s.preset === 'gmail' && s.auth !== 'oauth2' && f.code === 'EAUTH')
    return settingsWarning(
      'gmail_app_password',
      `Gmail rejected the login on ${f.at}: use a 16-character app password (Google account > Security > 2-Step Verification > App passwords), not the account password, or connect the mailbox with Google.`,
    );
  return undefined;
}
