import pino from 'pino';
import type { EmailSettings, WebhookState } from '@mailroom/domain';
import type { SecretBox } from '@mailroom/security';
import type { WebhooksDeps } from '../webhooks-deps';
import { OpenedWebhooks } from './opened-webhooks';
import { RecentSettings } from './recent-settings';
import { receiveProviderWebhook, ReceiverState } from './receive-provider-webhook';
import type { ReplayTokens } from './replay-tokens';

/**
 * The receiver on settings kept from an earlier post (decision 0066), with a provider module that
 * verifies a header against the webhook's Basic user: what the store holds now decides every refusal,
 * and a post refused on a key the store still holds is verified once, not twice.
 */
describe('a provider post verified on settings kept from an earlier post', () => {
  const settingsWith = (webhook: WebhookState, version = 1) =>
    ({ tenantId: 't1', version, mode: 'provider', provider: { name: 'acme', webhook } }) as unknown as EmailSettings;

  function receiver(initial: EmailSettings) {
    let stored = initial;
    const counts = { reads: 0, verifies: 0 };
    const module = {
      webhooks: {
        notConfiguredStatus: 404,
        giveUpStatus: 406,
        verify: (incoming: { headers: Record<string, string | undefined> }, hook: { basicUser?: string }) => {
          counts.verifies++;
          return incoming.headers['x-user'] === hook.basicUser
            ? { ok: true as const }
            : { ok: false as const, reason: 'bad-signature', message: 'not the user' };
        },
        parse: () => [],
      },
    };
    const store = {
      settings: {
        get: async () => {
          counts.reads++;
          return stored;
        },
        update: async () => stored,
      },
    };
    const deps = {
      store,
      logger: pino({ level: 'silent' }),
      providers: { webhookModule: (name: string) => (name === 'acme' ? module : undefined) },
      config: { limits: { webhookMaxAgeSeconds: 600 } },
      now: () => new Date(),
    } as unknown as WebhooksDeps;
    let clock = 0;
    const state: ReceiverState = {
      settings: new RecentSettings(deps.store, () => clock, 1000),
      opened: new OpenedWebhooks({} as SecretBox),
      tokens: {} as ReplayTokens,
    };
    const post = async (user: string) =>
      (
        await receiveProviderWebhook(deps, state, {
          provider: 'acme',
          tenantId: 't1',
          rawBody: Buffer.from('[]'),
          headers: { 'x-user': user },
        })
      ).status;
    return {
      counts,
      post,
      save: (s: EmailSettings) => void (stored = s),
      tick: (ms: number) => void (clock += ms),
    };
  }

  it('posts within the second after the first read the store once; a key saved meanwhile verifies the next post at once', async () => {
    const r = receiver(settingsWith({ basicUser: 'old' } as WebhookState));
    expect([await r.post('old'), await r.post('old')]).toEqual([200, 200]);
    expect(r.counts.reads).toBe(1);
    r.save(settingsWith({ basicUser: 'new' } as WebhookState, 2));
    r.tick(10);
    expect(await r.post('new')).toBe(200);
    expect(r.counts.reads).toBe(2);
    expect(await r.post('new')).toBe(200);
    expect(r.counts.reads).toBe(2);
  });

  it('a refused post on kept settings the store still holds: read again, verified once', async () => {
    const r = receiver(settingsWith({ basicUser: 'right' } as WebhookState));
    expect(await r.post('right')).toBe(200);
    const before = { ...r.counts };
    expect(await r.post('forged')).toBe(401);
    expect(r.counts).toEqual({ reads: before.reads + 1, verifies: before.verifies + 1 });
  });

  it('a tenant that left the provider a moment ago: its next refused post reads the store and answers not configured', async () => {
    const r = receiver(settingsWith({ basicUser: 'right' } as WebhookState));
    expect(await r.post('right')).toBe(200);
    r.save({ tenantId: 't1', version: 2, mode: 'smtp' } as unknown as EmailSettings);
    expect(await r.post('someone')).toBe(404);
  });

  it('a key replaced in the store stops verifying once the kept settings are a second old', async () => {
    const r = receiver(settingsWith({ basicUser: 'old' } as WebhookState));
    expect(await r.post('old')).toBe(200);
    r.save(settingsWith({ basicUser: 'new' } as WebhookState, 2));
    r.tick(999);
    expect(await r.post('old')).toBe(200);
    r.tick(1);
    expect(await r.post('old')).toBe(401);
  });
});
