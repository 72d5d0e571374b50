import type { SettingsAnswer } from '../src/api/types';
import {
  bodyFromForm,
  errorsByField,
  errorsStillStanding,
  formFromSettings,
  ionosMarketOfForm,
  oauthVendorOf,
  parseAddresses,
  presetLimitsOf,
  storedPasswordApplies,
  testedSettingsKey,
  withIonosMarket,
  withPreset,
} from '../src/settings/settings-form';

const savedSmtp: SettingsAnswer = {
  mode: 'smtp',
  senderName: 'ACME',
  replyTo: 'billing@acme.example',
  cc: [{ email: 'books@acme.example' }],
  bcc: [{ email: 'archive@acme.example', name: 'Archive' }],
  smtp: {
    preset: 'gmail',
    fromAddress: 'billing@acme.example',
    username: 'billing@acme.example',
    host: 'smtp.gmail.com',
    port: 465,
    tls: true,
    hasPassword: true,
  },
  warnings: [],
};

describe('the settings form and the API body', () => {
  it('never shows a stored secret, and leaves an empty one out so the API keeps it', () => {
    const form = formFromSettings(savedSmtp);
    expect(form.smtp.password).toBe('');
    const body = bodyFromForm(form) as { smtp: Record<string, unknown> };
    expect(body.smtp).toEqual({ preset: 'gmail', fromAddress: 'billing@acme.example', username: 'billing@acme.example' });
    expect(bodyFromForm({ ...form, smtp: { ...form.smtp, password: 'abcd efgh ijkl mnop' } })).toMatchObject({
      smtp: { password: 'abcd efgh ijkl mnop' },
    });
  });

  it('keeps the stored password only for the same server and user name: another preset, host, port or user asks for it again', () => {
    const form = formFromSettings(savedSmtp);
    expect(storedPasswordApplies(form.smtp, savedSmtp.smtp)).toBe(true);
    expect(
      storedPasswordApplies({ ...form.smtp, host: ' SMTP.Gmail.com ', username: 'Billing@acme.example', tls: false }, savedSmtp.smtp),
    ).toBe(true);
    expect(storedPasswordApplies(withPreset(form.smtp, 'ionos'), savedSmtp.smtp)).toBe(false);
    expect(storedPasswordApplies({ ...form.smtp, host: 'smtp.elsewhere.example' }, savedSmtp.smtp)).toBe(false);
    expect(storedPasswordApplies({ ...form.smtp, port: '587' }, savedSmtp.smtp)).toBe(false);
    expect(storedPasswordApplies({ ...form.smtp, username: 'someone@acme.example' }, savedSmtp.smtp)).toBe(false);
    expect(storedPasswordApplies(form.smtp, { ...savedSmtp.smtp!, hasPassword: false })).toBe(false);
    expect(storedPasswordApplies(form.smtp, undefined)).toBe(false);
  });

  it("sends a preset's server only when it was changed; 'other' always sends what was typed", () => {
    const form = formFromSettings(savedSmtp);
    const outlook = withPreset(form.smtp, 'outlook');
    expect(outlook).toMatchObject({ host: 'smtp.office365.com', port: '587', tls: false });
    expect((bodyFromForm({ ...form, smtp: outlook }) as any).smtp.host).toBeUndefined();
    const moved = { ...form.smtp, host: 'smtp.ionos.de', port: '587', tls: false };
    expect((bodyFromForm({ ...form, smtp: moved }) as any).smtp).toMatchObject({ host: 'smtp.ionos.de', port: 587, tls: false });
    const other = withPreset({ ...form.smtp, host: '127.0.0.1', port: '2525', tls: true }, 'other');
    expect((bodyFromForm({ ...form, smtp: other }) as any).smtp).toMatchObject({
      preset: 'other',
      host: '127.0.0.1',
      port: 2525,
      tls: true,
    });
  });

  it("IONOS: the contract's market picks its server, sent as the preset's server; a server typed by hand is 'other'", () => {
    const form = formFromSettings(savedSmtp);
    const ionos = withPreset(form.smtp, 'ionos');
    expect(ionos).toMatchObject({ host: 'smtp.ionos.es', port: '465', tls: true });
    expect(ionosMarketOfForm(ionos)).toBe('es');
    // Spain is the preset's own server: nothing to send.
    expect((bodyFromForm({ ...form, smtp: ionos }) as any).smtp.host).toBeUndefined();
    const german = withIonosMarket(ionos, 'de');
    expect(german).toMatchObject({ host: 'smtp.ionos.de', port: '465', tls: true });
    expect((bodyFromForm({ ...form, smtp: german }) as any).smtp).toMatchObject({ preset: 'ionos', host: 'smtp.ionos.de' });
    // STARTTLS on 587 chosen by hand stays when the market changes.
    const uk = withIonosMarket({ ...german, port: '587', tls: false }, 'uk');
    expect(uk).toMatchObject({ host: 'smtp.ionos.co.uk', port: '587', tls: false });
    expect(ionosMarketOfForm(uk)).toBe('uk');
    expect(ionosMarketOfForm({ ...uk, host: 'SMTP.IONOS.COM' })).toBe('us');
    expect(ionosMarketOfForm({ ...uk, host: 'mail.example.com' })).toBe('other');
    // Saved settings with another market's server come back with that market.
    expect(
      ionosMarketOfForm(formFromSettings({ ...savedSmtp, smtp: { ...savedSmtp.smtp!, preset: 'ionos', host: 'smtp.ionos.fr' } }).smtp),
    ).toBe('fr');
  });

  it('a mailbox connected with OAuth2 saves without user name or password; another preset goes back to a password', () => {
    const connected: SettingsAnswer = {
      ...savedSmtp,
      smtp: {
        ...savedSmtp.smtp!,
        auth: 'oauth2',
        hasPassword: false,
        oauth: { vendor: 'google', via: 'smtp', mailbox: 'billing@acme.example', connectedAt: '2026-01-01T00:00:00Z' },
      },
    };
    const form = formFromSettings(connected);
    expect(form.smtp.auth).toBe('oauth2');
    expect((bodyFromForm({ ...form, smtp: { ...form.smtp, password: 'typed anyway' } }) as any).smtp).toEqual({
      preset: 'gmail',
      auth: 'oauth2',
      fromAddress: 'billing@acme.example',
    });
    expect(withPreset(form.smtp, 'ionos').auth).toBe('password');
    expect(withPreset(form.smtp, 'gmail').auth).toBe('oauth2');
    expect(oauthVendorOf('outlook')).toBe('microsoft');
    expect(oauthVendorOf('other')).toBeUndefined();
  });

  it('splits CC/BCC on commas, semicolons and lines, with optional names, and round-trips them', () => {
    expect(parseAddresses('a@x.example, Ana <ana@x.example>\n\n"Bea" <bea@x.example>; d@x.example,')).toEqual([
      { email: 'a@x.example' },
      { email: 'ana@x.example', name: 'Ana' },
      { email: 'bea@x.example', name: 'Bea' },
      { email: 'd@x.example' },
    ]);
    const form = formFromSettings(savedSmtp);
    expect(form.bcc).toBe('Archive <archive@acme.example>');
    expect(bodyFromForm(form)).toMatchObject({
      cc: [{ email: 'books@acme.example' }],
      bcc: [{ email: 'archive@acme.example', name: 'Archive' }],
    });
  });

  it('sends only the active mode, and only the fields its provider takes', () => {
    const form = formFromSettings(null);
    expect(form.mode).toBe('platform');
    expect(bodyFromForm({ ...form, senderName: 'A', replyTo: 'r@a.example' })).toEqual({
      mode: 'platform',
      senderName: 'A',
      replyTo: 'r@a.example',
      cc: [],
      bcc: [],
    });
    const mailgun = bodyFromForm({
      ...form,
      mode: 'provider',
      provider: {
        ...form.provider,
        name: 'mailgun',
        fromAddress: 'f@mg.a.example',
        privateApiKey: 'key-1',
        publicApiKey: 'ignored',
        region: 'eu',
      },
    });
    expect(mailgun.provider).toEqual({ name: 'mailgun', fromAddress: 'f@mg.a.example', privateApiKey: 'key-1', region: 'eu' });
    const mailjet = bodyFromForm({
      ...form,
      mode: 'provider',
      provider: { ...form.provider, name: 'mailjet', fromAddress: 'f@a.example', privateApiKey: 'priv', publicApiKey: 'pub' },
    });
    expect(mailjet.provider).toEqual({ name: 'mailjet', fromAddress: 'f@a.example', privateApiKey: 'priv', publicApiKey: 'pub' });
    expect(mailjet.smtp).toBeUndefined();
  });

  it("puts the API's field errors on the inputs that show them, each problem once", () => {
    expect(
      errorsByField([
        { field: 'smtp.host', message: 'host is required when preset is "other"' },
        { field: 'cc.1.email', message: 'is not a valid email address' },
        { field: 'cc.3.email', message: 'is not a valid email address' },
      ]),
    ).toEqual({ 'smtp.host': 'host is required when preset is "other"', cc: 'is not a valid email address' });
  });
});

describe('sending limits in the form', () => {
  const withLimits: SettingsAnswer = {
    ...savedSmtp,
    limits: {
      perMinute: { value: 5, from: 'tenant' },
      perHour: null,
      perDay: { value: 500, from: 'preset', maximum: 2000 },
      own: { perMinute: 5 },
      preset: {
        label: 'Gmail',
        defaults: { perDay: 500 },
        maximum: { perDay: 2000 },
        sources: ['https://support.google.com/a/answer/166852'],
      },
    },
  };

  it("shows only the tenant's own figures in the boxes (the preset's are the placeholders), and sends them back as numbers", () => {
    const form = formFromSettings(withLimits);
    expect(form.limits).toEqual({ perMinute: '5', perHour: '', perDay: '' });
    expect(bodyFromForm(form)).toMatchObject({ limits: { perMinute: 5 } });
    const lowered = { ...form, limits: { perMinute: '', perHour: ' 40 ', perDay: '100' } };
    expect((bodyFromForm(lowered) as any).limits).toEqual({ perHour: 40, perDay: 100 });
    // Something that is not a number goes as typed, for the API to name the field.
    expect((bodyFromForm({ ...form, limits: { ...form.limits, perDay: '1e' } }) as any).limits.perDay).toBe('1e');
  });

  it('sends no limits when every box is empty, nor in platform mode; the preset figures follow the chosen preset', () => {
    const form = formFromSettings(withLimits);
    expect(bodyFromForm({ ...form, limits: { perMinute: '', perHour: '', perDay: '' } })).not.toHaveProperty('limits');
    expect(bodyFromForm({ ...form, mode: 'platform' })).not.toHaveProperty('limits');
    expect(presetLimitsOf(form)?.defaults).toEqual({ perDay: 500 });
    expect(presetLimitsOf({ ...form, smtp: withPreset(form.smtp, 'outlook') })?.maximum).toEqual({ perMinute: 30, perDay: 10000 });
    expect(presetLimitsOf({ ...form, smtp: withPreset(form.smtp, 'other') })).toBeUndefined();
    expect(presetLimitsOf({ ...form, mode: 'provider' })).toBeUndefined();
  });

  it("keys a test email's result by the settings, secrets aside: saving the tested draft keeps it, another provider or server does not", () => {
    const draft = bodyFromForm({
      ...formFromSettings(savedSmtp),
      smtp: { ...formFromSettings(savedSmtp).smtp, password: 'abcd efgh ijkl mnop' },
    });
    const saved = bodyFromForm(formFromSettings(savedSmtp));
    expect(testedSettingsKey(draft)).toBe(testedSettingsKey(saved));
    expect(testedSettingsKey(draft)).not.toContain('abcd');
    const otherServer = bodyFromForm({ ...formFromSettings(savedSmtp), smtp: withPreset(formFromSettings(savedSmtp).smtp, 'outlook') });
    expect(testedSettingsKey(otherServer)).not.toBe(testedSettingsKey(saved));
    const provider = (name: string, key: string) =>
      testedSettingsKey({ mode: 'provider', provider: { name, fromAddress: 'b@acme.example', privateApiKey: key } });
    expect(provider('sendgrid', 'SG.1')).toBe(provider('sendgrid', 'SG.2'));
    expect(provider('mailgun', 'SG.1')).not.toBe(provider('sendgrid', 'SG.1'));
  });
});

describe('field errors after an edit', () => {
  it('an edited field loses its error; the fields left as they were keep theirs', () => {
    const errors = {
      replyTo: 'No es una dirección de email válida.',
      'smtp.host': 'Rellena «Servidor».',
      cc: 'Como máximo 10 direcciones.',
    };
    const before = { mode: 'smtp', replyTo: 'nope', cc: [], smtp: { host: '', port: 587 } };
    expect(errorsStillStanding(errors, before, { ...before, replyTo: 'ok@acme.example' })).toEqual({
      'smtp.host': 'Rellena «Servidor».',
      cc: 'Como máximo 10 direcciones.',
    });
    expect(errorsStillStanding(errors, before, { ...before, smtp: { host: 'mail.acme.example', port: 587 } })).toEqual({
      replyTo: 'No es una dirección de email válida.',
      cc: 'Como máximo 10 direcciones.',
    });
    // Another field of the same part (the port) leaves the host's error standing.
    expect(errorsStillStanding(errors, before, { ...before, smtp: { host: '', port: 465 } })).toEqual(errors);
    // A field that was not in the body at all (a password left empty) counts as edited once typed.
    expect(errorsStillStanding({ 'smtp.password': 'Rellena' }, before, { ...before, smtp: { ...before.smtp, password: 'x' } })).toEqual({});
  });
});
