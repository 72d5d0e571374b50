import type { EmailSettings } from '@mailroom/domain';
import { PROVIDERS } from './providers';
import { assertLimitsWithinPreset, effectiveLimitsOf, presetLimitsOf } from './settings-limits';
import { SettingsFieldError } from './tenant-secrets';

const smtp = (preset: string, limits?: EmailSettings['limits']): Pick<EmailSettings, 'mode' | 'smtp' | 'provider' | 'limits'> => ({
  mode: 'smtp',
  smtp: { preset, fromAddress: 'a@b.example', username: 'a@b.example', host: 'h', port: 465, tls: true },
  ...(limits ? { limits } : {}),
});

describe('sending limits through the registry', () => {
  it('takes each SMTP preset’s published figures, none for other, providers, platform or a provider it no longer knows', () => {
    expect(presetLimitsOf(PROVIDERS, smtp('gmail'))).toMatchObject({
      label: 'Gmail',
      defaults: { perDay: 500 },
      maximum: { perDay: 2000 },
    });
    expect(presetLimitsOf(PROVIDERS, smtp('outlook'))?.defaults).toEqual({ perMinute: 30, perDay: 10000 });
    expect(presetLimitsOf(PROVIDERS, smtp('ionos'))?.defaults).toEqual({ perHour: 500 });
    for (const p of ['gmail', 'outlook', 'ionos'])
      expect(presetLimitsOf(PROVIDERS, smtp(p))!.sources.every((u) => u.startsWith('https://'))).toBe(true);
    expect(presetLimitsOf(PROVIDERS, smtp('other'))).toBeUndefined();
    const provider = (name: string) => ({ mode: 'provider' as const, provider: { name, fromAddress: 'a@b.example' } });
    expect(presetLimitsOf(PROVIDERS, provider('mailgun'))).toBeUndefined();
    expect(presetLimitsOf(PROVIDERS, provider('gone-provider'))).toBeUndefined();
    expect(effectiveLimitsOf(PROVIDERS, { mode: 'platform' })).toBeUndefined();
    expect(effectiveLimitsOf(PROVIDERS, { ...provider('sendgrid'), limits: { perHour: 9 } })).toEqual({
      limits: { perHour: 9 },
      from: { perHour: 'tenant' },
    });
  });

  it('refuses a figure over the preset with the field, the maximum and the source; lower ones pass', () => {
    expect(() => assertLimitsWithinPreset(PROVIDERS, smtp('outlook', { perMinute: 30, perDay: 50 }))).not.toThrow();
    expect(() => assertLimitsWithinPreset(PROVIDERS, smtp('other', { perMinute: 100_000 }))).not.toThrow();
    let refused: unknown;
    try {
      assertLimitsWithinPreset(PROVIDERS, smtp('ionos', { perHour: 6000 }));
    } catch (e) {
      refused = e;
    }
    expect(refused).toBeInstanceOf(SettingsFieldError);
    expect(refused).toMatchObject({ field: 'limits.perHour' });
    expect((refused as SettingsFieldError).reason).toMatch(
      /^limits\.perHour may be at most 5000: IONOS's published sending limit \(https:\/\/www\.ionos/,
    );
  });
});
