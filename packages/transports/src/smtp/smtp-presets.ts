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
