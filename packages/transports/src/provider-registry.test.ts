import { randomBytes } from 'node:crypto';
import type { EmailSettings, EmailSettingsInput } from '@mailroom/domain';
import { SecretBox } from '@mailroom/security';
import { PROVIDERS } from './providers';
import { lastFailureWarnings, presentSettingsPart, settingsPartWarnings, storeSettingsPart } from './settings-parts';
import { SettingsFieldError, TenantSecrets } from './tenant-secrets';

const box = new SecretBox([{ id: 'k1', key: randomBytes(32) }]);
const secrets = new TenantSecrets(box, 'tn_acme');
const schema = PROVIDERS.settingsInputSchema;

/** The first issue as the API shows it: `field: message`. */
function firstIssue(value: unknown): string {
  const r = schema.safeParse(value);
  if (r.success) throw new Error('expected the value to be refused');
  const issue = r.error.issues[0];
  return `${issue.path.join('.')}: ${issue.message}`;
}

const common = { senderName: 'ACME', replyTo: 'billing@acme.test' };
const smtp = (extra: object) => ({
  mode: 'smtp',
  ...common,
  smtp: { preset: 'gmail', fromAddress: 'a@acme.test', username: 'a@acme.test', ...extra },
});
const provider = (p: object) => ({ mode: 'provider', ...common, provider: { fromAddress: 'billing@acme.test', ...p } });

function settingsOf(input: EmailSettingsInput, previous: EmailSettings | null = null): EmailSettings {
  const { smtp: _smtp, provider: _provider, ...common } = input;
  return {
    tenantId: 'tn_acme',
    version: 1,
    updatedAt: '2026-01-01T00:00:00Z',
    ...common,
    ...storeSettingsPart(PROVIDERS, input, previous, secrets),
  };
}

describe('the settings schema, from the registry', () => {
  it('names the field and says what it must be, in each module part', () => {
    expect(firstIssue(smtp({ port: '587' }))).toBe('smtp.port: port must be a number');
    expect(firstIssue(smtp({ port: 70000 }))).toMatch(/^smtp\.port: .*65535/);
    expect(firstIssue(smtp({ preset: 'other' }))).toBe('smtp.host: host is required when preset is "other"');
    expect(firstIssue(provider({ name: 'postmark' }))).toBe('provider.name: name must be one of sendgrid, mailgun, mailjet');
    expect(firstIssue(provider({ name: 'mailgun', region: 'asia' }))).toBe('provider.region: region must be "eu" or "us"');
    expect(firstIssue(provider({ name: 'sendgrid', publicApiKey: 'k' }))).toMatch(
      /^provider: sendgrid has no "publicApiKey": leave it out/,
    );
    expect(firstIssue({ mode: 'platform', senderName: 'x' })).toBe(
      'replyTo: replyTo is required in platform mode: replies must reach the tenant',
    );
    expect(firstIssue({ mode: 'provider', ...common })).toBe('provider: provider is required when mode is "provider"');
  });

  it('an OAuth2 smtp part takes no password, and only the gmail and outlook presets', () => {
    expect(firstIssue(smtp({ auth: 'oauth2', password: 'x' }))).toBe(
      'smtp.password: a mailbox connected with OAuth2 has no password: leave it out',
    );
    expect(firstIssue(smtp({ auth: 'oauth2', preset: 'ionos' }))).toMatch(/^smtp\.preset: OAuth2 connects Gmail/);
    expect(schema.safeParse(smtp({ auth: 'oauth2', username: undefined })).success).toBe(true);
    expect(firstIssue(smtp({ username: undefined }))).toBe('smtp.username: username is required');
  });
});

describe('each module stores, presents and warns about its own part', () => {
  it('seals secrets, shows only that they are set and their last four characters', () => {
    const s = settingsOf(schema.parse(provider({ name: 'mailjet', privateApiKey: 'priv-0123456789', publicApiKey: 'pub-abcdef' })));
    const shown = JSON.stringify(presentSettingsPart(PROVIDERS, s));
    expect(shown).not.toContain('priv-0123456789');
    expect(shown).not.toContain('pub-abcdef');
    expect(presentSettingsPart(PROVIDERS, s)).toEqual({
      provider: {
        name: 'mailjet',
        fromAddress: 'billing@acme.test',
        hasPrivateApiKey: true,
        privateApiKeyLast4: '6789',
        hasPublicApiKey: true,
      },
    });
    const sealed = PROVIDERS.sealedFields(s).filter((f) => f.get(s) !== undefined);
    expect(sealed.map((f) => [f.field, box.open(f.get(s)!, `tn_acme:${f.field}`)])).toEqual([
      ['provider.privateApiKey', 'priv-0123456789'],
      ['provider.publicApiKey', 'pub-abcdef'],
    ]);
  });

  it('keeps a secret left out from the same provider, never from another one', () => {
    const first = settingsOf(schema.parse(provider({ name: 'mailgun', privateApiKey: 'key-mg-1111' })));
    const again = settingsOf(schema.parse(provider({ name: 'mailgun', region: 'eu' })), first);
    expect(again.provider).toMatchObject({ name: 'mailgun', region: 'eu', domain: 'acme.test', privateKeyHint: '1111' });
    expect(() => settingsOf(schema.parse(provider({ name: 'sendgrid' })), first)).toThrow(
      new SettingsFieldError('provider.privateApiKey', 'the sendgrid private API key is required'),
    );
  });

  it('warns in the module’s words: a Mailgun domain that is not the From’s, a port and TLS that disagree', () => {
    const mg = settingsOf(schema.parse(provider({ name: 'mailgun', privateApiKey: 'k', domain: 'mg.other.test' })));
    expect(settingsPartWarnings(PROVIDERS, mg).map((w) => w.code)).toEqual(['mailgun_domain_mismatch']);
    const gm = settingsOf(schema.parse(smtp({ password: 'app-password', port: 587, tls: true })));
    expect(settingsPartWarnings(PROVIDERS, gm).map((w) => w.code)).toEqual(['port_tls_mismatch']);
    const failed = { ...gm, lastFailure: { at: '2026-01-02T00:00:00Z', code: 'EAUTH' } };
    expect(lastFailureWarnings(PROVIDERS, failed).map((w) => w.code)).toEqual(['gmail_app_password']);
    expect(lastFailureWarnings(PROVIDERS, { ...mg, lastFailure: failed.lastFailure }).map((w) => w.code)).toEqual(['last_send_failed']);
  });

  it("the generic last failure's warning carries its values (date, code, hint and its key), not only the English", () => {
    const mg = settingsOf(schema.parse(provider({ name: 'mailgun', privateApiKey: 'k', domain: 'acme.test' })));
    const lastFailure = {
      at: '2026-01-02T03:04:05.000Z',
      code: 'http_401',
      response: 'Forbidden',
      hint: 'Mailgun rejected the API key.',
      hintKey: 'mailgun.keyRejected' as const,
    };
    expect(lastFailureWarnings(PROVIDERS, { ...mg, lastFailure })).toEqual([
      {
        code: 'last_send_failed',
        message: 'the last send failed on 2026-01-02T03:04:05.000Z (http_401): Mailgun rejected the API key.',
        failure: {
          at: '2026-01-02T03:04:05.000Z',
          code: 'http_401',
          hint: 'Mailgun rejected the API key.',
          hintKey: 'mailgun.keyRejected',
        },
      },
    ]);
  });

  it('a mailbox can be switched to OAuth2 only once connected, and keeps its tokens through a save', () => {
    expect(() => settingsOf(schema.parse(smtp({ auth: 'oauth2' })))).toThrow(/smtp\.auth: no mailbox is connected/);
    const module = PROVIDERS.oauthModule()!;
    const connected = module.oauth.connected(
      {
        vendor: 'google',
        via: 'smtp',
        mailbox: 'a@acme.test',
        refreshToken: '1//refresh',
        accessToken: 'ya29.access',
        accessTokenExpiresAt: 1_900_000_000_000,
        connectedAt: '2026-01-01T00:00:00Z',
      },
      undefined,
      secrets,
    );
    const s: EmailSettings = { ...settingsOf(schema.parse(smtp({ password: 'p' }))), smtp: connected };
    const saved = settingsOf(schema.parse(smtp({ auth: 'oauth2', username: undefined, fromAddress: 'billing@acme.test' })), s);
    expect(saved.smtp).toMatchObject({ auth: 'oauth2', username: 'a@acme.test', fromAddress: 'billing@acme.test', oauth: connected.oauth });
    expect(module.oauth.grant(saved.smtp, secrets)).toMatchObject({ refreshToken: '1//refresh', accessToken: 'ya29.access' });
    const shown = presentSettingsPart(PROVIDERS, saved);
    expect(shown.smtp).toMatchObject({
      auth: 'oauth2',
      hasPassword: false,
      oauth: { vendor: 'google', via: 'smtp', mailbox: 'a@acme.test' },
    });
    expect(JSON.stringify(shown)).not.toMatch(/refresh|access|ya29|1\/\//);
    expect(() => settingsOf(schema.parse(smtp({ auth: 'oauth2', preset: 'outlook', username: undefined })), s)).toThrow(
      /smtp\.preset: .*google/,
    );
    expect(
      PROVIDERS.sealedFields(saved)
        .filter((f) => f.get(saved) !== undefined)
        .map((f) => f.field),
    ).toEqual(['smtp.oauth.refreshToken', 'smtp.oauth.accessToken']);
  });
});
