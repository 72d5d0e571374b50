import { effectiveSettings, transportCacheKey, transportOf } from './effective-settings';
import type { Tenant } from './plans';
import type { EmailSettings } from './settings';
import { tenantInputSchema } from './plans';

const T0 = '2026-01-01T00:00:00.000Z';
const SMTP_PLANS = ['advanced', 'premium'];
const tenant = (over: Partial<Tenant> = {}): Tenant => ({
  id: 'acme',
  name: 'ACME S.L.',
  plan: 'premium',
  createdAt: T0,
  updatedAt: T0,
  ...over,
});
const smtpSettings: EmailSettings = {
  tenantId: 'acme',
  version: 3,
  mode: 'smtp',
  senderName: 'ACME Billing',
  cc: [{ email: 'books@acme.example' }],
  bcc: [],
  smtp: {
    preset: 'gmail',
    fromAddress: 'billing@acme.example',
    username: 'billing@acme.example',
    host: 'h',
    port: 465,
    tls: true,
    password: 'k1:x',
  },
  lastFailure: { at: T0, code: 'EAUTH' },
  updatedAt: T0,
};

describe('effective settings', () => {
  it('a tenant that never saved settings sends through the platform under its own name, replies to its email', () => {
    const e = effectiveSettings(tenant({ email: 'hello@acme.example' }), null, SMTP_PLANS);
    expect(e).toEqual({
      configured: false,
      settings: {
        tenantId: 'acme',
        version: 0,
        mode: 'platform',
        senderName: 'ACME S.L.',
        replyTo: 'hello@acme.example',
        cc: [],
        bcc: [],
        updatedAt: T0,
      },
    });
    expect(transportOf(e)).toEqual({ mode: 'platform' });
    expect(effectiveSettings(tenant(), null, SMTP_PLANS).settings).not.toHaveProperty('replyTo');
  });

  it('keeps the stored settings while the plan allows them', () => {
    const e = effectiveSettings(tenant(), smtpSettings, SMTP_PLANS);
    expect(e).toEqual({ settings: smtpSettings, configured: true });
    expect(transportOf(e)).toEqual({ mode: 'smtp' });
  });

  it('a downgraded smtp tenant falls back to the platform, keeping its name and lists, replying to its email', () => {
    const e = effectiveSettings(tenant({ plan: 'basic', email: 'hello@acme.example' }), smtpSettings, SMTP_PLANS);
    expect(e.fallback).toBe('plan_fallback');
    expect(e.settings).toMatchObject({ mode: 'platform', senderName: 'ACME Billing', replyTo: 'hello@acme.example', version: 3 });
    expect(e.settings.cc).toEqual(smtpSettings.cc);
    expect(e.settings).not.toHaveProperty('smtp');
    expect(e.settings).not.toHaveProperty('lastFailure');
    expect(transportOf(e)).toEqual({ mode: 'platform', reason: 'plan_fallback' });
    // The tenant's own reply-to wins over its contact address.
    expect(effectiveSettings(tenant({ plan: 'free' }), { ...smtpSettings, replyTo: 'r@acme.example' }, SMTP_PLANS).settings.replyTo).toBe(
      'r@acme.example',
    );
  });

  it('gives the fallback its own transport cache key, though the settings version did not change', () => {
    const allowed = effectiveSettings(tenant(), smtpSettings, SMTP_PLANS);
    const fallback = effectiveSettings(tenant({ plan: 'basic' }), smtpSettings, SMTP_PLANS);
    expect(transportCacheKey(allowed)).not.toBe(transportCacheKey(fallback));
  });
});

describe('tenant input', () => {
  it('takes an optional contact email, lower-cased; null removes it', () => {
    expect(tenantInputSchema.parse({ name: 'A', plan: 'free', email: ' Hello@ACME.example ' }).email).toBe('hello@acme.example');
    expect(tenantInputSchema.parse({ name: 'A', plan: 'free', email: null }).email).toBeNull();
    expect(tenantInputSchema.parse({ name: 'A', plan: 'free' })).not.toHaveProperty('email');
    const bad = tenantInputSchema.safeParse({ name: 'A', plan: 'free', email: 'not-an-address' });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues[0].path).toEqual(['email']);
  });
});

describe('sending limits and the plan fallback', () => {
  it('keeps the tenant limits while its own server sends, and drops them when the platform sends instead', () => {
    const limited: EmailSettings = { ...smtpSettings, limits: { perMinute: 5 } };
    expect(effectiveSettings(tenant(), limited, SMTP_PLANS).settings.limits).toEqual({ perMinute: 5 });
    const fallback = effectiveSettings(tenant({ plan: 'basic' }), limited, SMTP_PLANS);
    expect(fallback.fallback).toBe('plan_fallback');
    expect(fallback.settings).not.toHaveProperty('limits');
  });
});
