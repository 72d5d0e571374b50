import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { DeliveryError, settingsWarning, type ProviderSettings } from '@mailroom/domain';
import { apiKeySchema, keyHint, providerInputSchema, SettingsFieldError, type TransportModule } from '@mailroom/transports';
import { z } from 'zod';

/**
 * A provider that exists only in the tests: its module (as a real one is written, in one object) and
 * its API, a small real HTTP server. It proves that a module added to a registry is accepted by the
 * settings, presented, sent through and heard from on the webhook route without any app knowing it.
 */
export interface FakeMailApi {
  url: string;
  /** Messages posted to its send endpoint, with the token that authorised each. */
  messages: { token: string; emailId: string; from: string; to: string[]; subject: string }[];
  /** Webhooks registered: url -> the signing key it handed out. */
  webhooks: Map<string, string>;
  /** Posts an event to the webhook registered at `url`, signed with its key (or `key`, a forger's). */
  postEvent(url: string, event: { emailId: string; recipient: string; type: 'delivered' }, options?: { key?: string }): Promise<number>;
  close(): Promise<void>;
}

export async function startFakeMailApi(token: string): Promise<FakeMailApi> {
  const messages: FakeMailApi['messages'] = [];
  const webhooks = new Map<string, string>();
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      if (req.headers.authorization !== `Bearer ${token}`) return void res.writeHead(401).end('{"error":"bad token"}');
      const json = JSON.parse(body || '{}') as Record<string, unknown>;
      if (req.url === '/send') {
        messages.push({ token, ...(json as Omit<FakeMailApi['messages'][number], 'token'>) });
        return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: `fm-${messages.length}` }));
      }
      if (req.url === '/webhooks') {
        const key = webhooks.get(String(json.url)) ?? randomBytes(16).toString('hex');
        webhooks.set(String(json.url), key);
        return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ signingKey: key }));
      }
      res.writeHead(404).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    messages,
    webhooks,
    async postEvent(target, event, options = {}) {
      const raw = JSON.stringify([{ ...event, id: randomBytes(6).toString('hex') }]);
      const key = options.key ?? webhooks.get(target)!;
      const res = await fetch(target, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-fakemail-signature': createHmac('sha256', key).update(raw).digest('hex') },
        body: raw,
      });
      return res.status;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

interface FakeMailSettings extends ProviderSettings {
  name: 'fakemail';
  shard: 'a' | 'b';
  token: string;
  tokenHint?: string;
}

const input = providerInputSchema('fakemail', {
  token: apiKeySchema('token').optional(),
  shard: z.enum(['a', 'b'], { error: 'shard must be "a" or "b"' }).optional(),
});

/** The module, bound to its API's address (a real one reads it from the config). */
export function fakeMailModule(apiUrl: string): TransportModule<z.infer<typeof input>, FakeMailSettings, { token: string }> {
  const call = async (token: string, path: string, body: unknown) => {
    const res = await fetch(`${apiUrl}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new DeliveryError(`FakeMail answered ${res.status}`, { code: `http_${res.status}`, retryable: res.status >= 500 });
    return (await res.json()) as Record<string, string>;
  };
  return {
    name: 'fakemail',
    label: 'FakeMail',
    mode: 'provider',
    settings: {
      input,
      store(i, previous, secrets) {
        const token = i.token !== undefined ? secrets.seal('provider.token', i.token) : previous?.token;
        if (!token) throw new SettingsFieldError('token', 'the FakeMail token is required');
        const tokenHint = keyHint(i.token, previous?.tokenHint);
        return { name: 'fakemail', fromAddress: i.fromAddress, shard: i.shard ?? 'a', token, ...(tokenHint ? { tokenHint } : {}) };
      },
      sealedFields: [{ field: 'provider.token', get: (s) => s.token, set: (s, v) => ({ ...s, token: v }) }],
      presented: z.strictObject({
        name: z.literal('fakemail'),
        fromAddress: z.string(),
        shard: z.enum(['a', 'b']),
        hasToken: z.boolean(),
        tokenLast4: z.string().nullable(),
      }),
      present: (s) => ({
        name: s.name,
        fromAddress: s.fromAddress,
        shard: s.shard,
        hasToken: Boolean(s.token),
        tokenLast4: s.tokenHint ?? null,
      }),
      warnings: (s) => (s.shard === 'b' ? [settingsWarning('fakemail_shard_b', 'shard b is slower: use shard a')] : []),
    },
    spec: (s, secrets) => ({ token: secrets.open('provider.token', s.token) }),
    createTransport: (spec) => ({
      kind: 'fakemail',
      async send(m) {
        const to = [...m.to, ...m.cc, ...m.bcc].map((a) => a.email);
        const answer = await call(spec.token, '/send', { emailId: m.emailId, from: m.from.email, to, subject: m.subject });
        return { messageId: m.messageId, providerMessageId: answer.id, recipients: to.map((email) => ({ email, accepted: true })) };
      },
    }),
    webhooks: {
      verify(incoming, hook) {
        if (!hook.key) return { ok: false, reason: 'no-key', message: 'no signing key' };
        const given = Buffer.from(incoming.headers['x-fakemail-signature'] ?? '', 'hex');
        const expected = createHmac('sha256', hook.key).update(incoming.rawBody).digest();
        return given.length === expected.length && timingSafeEqual(given, expected)
          ? { ok: true }
          : { ok: false, reason: 'bad-signature', message: 'the signature does not match' };
      },
      parse: (raw) =>
        (JSON.parse(raw.toString('utf8')) as { emailId: string; recipient: string; type: 'delivered'; id: string }[]).map((e) => ({
          emailId: e.emailId,
          type: e.type,
          recipient: e.recipient,
          at: new Date().toISOString(),
          key: `fakemail:${e.id}`,
        })),
      giveUpStatus: 400,
      notConfiguredStatus: 404,
      register: async (spec, _stored, { url }) => ({ verificationKey: (await call(spec.token, '/webhooks', { url })).signingKey }),
    },
  };
}
