import type { PresetLimits } from '@mailroom/domain';

/**
 * SMTP presets from the seed's table. `tls: true` is implicit TLS from the first byte (465);
 * `tls: false` is STARTTLS, which is then *required* (587): a password never crosses in plaintext.
 */
export const SMTP_PRESETS = ['gmail', 'outlook', 'ionos', 'other'] as const;
export type SmtpPreset = (typeof SMTP_PRESETS)[number];

export interface SmtpEndpoint {
  host: string;
  port: number;
  tls: boolean;
}

export const PRESET_ENDPOINTS: Record<Exclude<SmtpPreset, 'other'>, SmtpEndpoint> = {
  gmail: { host: 'smtp.gmail.com', port: 465, tls: true },
  outlook: { host: 'smtp.office365.com', port: 587, tls: false },
  ionos: { host: 'smtp.ionos.es', port: 465, tls: true },
};

/**
 * IONOS names its outgoing server after the market the contract was signed in (design.md: "IONOS
 * 465/587 by market"); the preset's is the Spanish one, the seed's market. A contract of another
 * market sends through its own, as the preset's `host` override (the admin screens offer the list),
 * with the same ports: 465 implicit TLS or 587 STARTTLS.
 */
export const IONOS_MARKETS = ['es', 'de', 'uk', 'us', 'fr', 'it', 'mx'] as const;
export type IonosMarket = (typeof IONOS_MARKETS)[number];
export const IONOS_SERVERS: Record<IonosMarket, string> = {
  es: 'smtp.ionos.es',
  de: 'smtp.ionos.de',
  uk: 'smtp.ionos.co.uk',
  us: 'smtp.ionos.com',
  fr: 'smtp.ionos.fr',
  it: 'smtp.ionos.it',
  mx: 'smtp.ionos.mx',
};

/** The IONOS market whose server `host` is, if it is one of theirs. */
export function ionosMarketOf(host: string): IonosMarket | undefined {
  const h = host.trim().toLowerCase().replace(/\.$/, '');
  return IONOS_MARKETS.find((m) => IONOS_SERVERS[m] === h);
}

/**
 * Connections one worker opens to a preset's server at most. Their published sending limits (below)
 * pace a tenant long before two connections do (Office 365: 30 a minute; Gmail: 500 to 2,000 a day),
 * and fewer parallel logins to a mailbox provider are fewer reasons to be refused one.
 */
export const PRESET_MAX_CONNECTIONS = 2;

/**
 * The pool size for a tenant's SMTP server: what the operator configured (SMTP_MAX_CONNECTIONS) for
 * the tenant's own server (`other`), at most PRESET_MAX_CONNECTIONS for a preset's (decision 0047).
 */
export function tenantSmtpConnections(preset: SmtpPreset, configured: number): number {
  return preset === 'other' ? configured : Math.min(configured, PRESET_MAX_CONNECTIONS);
}

/**
 * The sending limits each preset's server publishes (decision 0030), as defaults a tenant gets without
 * setting any and the most it may raise them to. Mailroom counts one per recipient (To, Cc and Bcc),
 * which is what Gmail's and Office 365's recipient limits count and never less than a message limit.
 * Read from the pages below (stored copies, read on 2026-11-30); the providers change them without
 * notice, so a tenant may always set lower.
 * `other` has no preset limits: the tenant sets what its server allows.
 */
export const PRESET_LIMITS: Record<Exclude<SmtpPreset, 'other'>, PresetLimits> = {
  gmail: {
    label: 'Gmail',
    // Consumer Gmail: 500 messages a day. Google Workspace: 2,000 messages a day (500 on a trial, and
    // until a new paid account has paid USD 100 and 60 days have passed), 10,000 recipients a day,
    // over a rolling 24 hours. The default is the figure every Gmail account can send without a block.
    defaults: { perDay: 500 },
    maximum: { perDay: 2000 },
    // 166852 states the Workspace figures and the trial's 500; 22839 is Gmail Help's own limits page.
    sources: ['https://support.google.com/a/answer/166852', 'https://support.google.com/mail/answer/22839'],
    note: 'a paid Google Workspace account may raise perDay to 2000; consumer Gmail and Workspace trials send 500 a day',
  },
  outlook: {
    label: 'Office 365',
    // Exchange Online: message rate limit 30 messages per minute (SMTP client submission), recipient
    // rate limit 10,000 recipients a day (rolling 24 hours).
    defaults: { perMinute: 30, perDay: 10_000 },
    maximum: { perMinute: 30, perDay: 10_000 },
    sources: [
      'https://learn.microsoft.com/en-us/office365/servicedescriptions/exchange-online-service-description/exchange-online-limits#sending-limits',
    ],
  },
  ionos: {
    label: 'IONOS',
    // Mail Basic and Mail Business: per hour 50 (contract 0-7 days), 100 (8-14), 400 (15-30), then 500
    // on the UK page and 5,000 on the US and German ones (the German: recipients) for contracts older than 30 days.
    // Over it the server answers "450 Mail send limit exceeded".
    defaults: { perHour: 500 },
    maximum: { perHour: 5000 },
    sources: [
      'https://www.ionos.co.uk/help/email/general-topics/what-are-the-mass-mailing-limits/',
      'https://www.ionos.com/help/email/general-topics/what-are-the-mass-mailing-limits/',
      'https://www.ionos.de/hilfe/e-mail/allgemeine-themen/welche-beschraenkungen-gibt-es-beim-versand-von-massenmails/',
    ],
    note: 'a contract younger than 30 days sends 50 to 400 an hour: lower perHour; the US and German pages allow 5000 an hour after 30 days',
  },
};
