import fc from 'fast-check';
import { secretContext, WEBHOOK_KEY_FIELD } from '@mailroom/domain';
import { TokenSigner } from '@mailroom/security';
import { generateSendgridSigningKeys, refusingPort } from '@mailroom/testkit';
import { expressRoutes, FoundRoute, SERVED_BEFORE_THE_ROUTER, WEBHOOKS_SERVED_BEFORE_THE_ROUTER } from './fuzz/express-routes';
import { FUZZ, fuzzOptions, statusTable } from './fuzz/fuzz-settings';
import { describeRequest, rawRequest, RawRequest } from './fuzz/raw-http';
import { webhooksCatalogue } from './fuzz/webhooks-catalogue';
import { Mailroom, OPS_TOKEN, startMailroom } from './support/mailroom-harness';

/**
 * The webhooks app's public routes, fuzzed as the internet would: providers' posts with garbage
 * inside a valid signature and outside one, odd tenants and providers, odd pixel tokens. The answers
 * follow decision 0005 (200, 400/406 for what never succeeds, 401 for a bad signature, 404/406 for
 * an unknown tenant) and are never a 5xx while the store is up.
 */
describe(`fuzzing the webhooks app (seed ${FUZZ.seed}, ${FUZZ.numRuns} runs each)`, () => {
  let m: Mailroom;
  let routes: FoundRoute[];
  let catalogue: Record<string, fc.Arbitrary<RawRequest>>;

  beforeAll(async () => {
    const nowhere = `127.0.0.1:${await refusingPort()}`;
    m = await startMailroom(
      { SENDGRID_API_URL: `http://${nowhere}`, MAILGUN_API_URL_US: `http://${nowhere}`, MAILJET_API_URL: `https://${nowhere}` },
      { worker: false },
    );
    const sg = generateSendgridSigningKeys();
    const fixtures = {
      sendgrid: { tenant: 'wh-sg', privateKey: sg.privateKey },
      mailgun: { tenant: 'wh-mg', signingKey: 'mg-signing-key-for-fuzzing' },
      mailjet: { tenant: 'wh-mj', user: 'mailroom-wh-mj', password: 'mj-basic-password-fuzz' },
    };
    const keys = { 'wh-sg': sg.publicKeyBase64, 'wh-mg': fixtures.mailgun.signingKey, 'wh-mj': fixtures.mailjet.password };
    for (const [tenant, provider] of [
      ['wh-sg', { name: 'sendgrid', fromAddress: 'b@sg.example', privateApiKey: 'SG.fuzz' }],
      ['wh-mg', { name: 'mailgun', fromAddress: 'b@mg.fuzz.example', privateApiKey: 'key-fuzz' }],
      ['wh-mj', { name: 'mailjet', fromAddress: 'b@mj.example', privateApiKey: 'priv', publicApiKey: 'pub' }],
    ] as const) {
      await m.call('PUT', `/v1/tenants/${tenant}`, { name: tenant, plan: 'free' });
      await m.call('PUT', `/v1/tenants/${tenant}/email-settings`, { mode: 'provider', senderName: tenant, provider });
      // The webhook as registration would have left it (the providers are not reachable here).
      await m.api.deps.store.settings.update(tenant, (s) => ({
        ...s,
        provider: {
          ...s.provider!,
          webhook: {
            url: `${m.webhooks.url}/webhooks/${provider.name}/${tenant}`,
            registered: true,
            verificationKey: m.api.deps.box.seal(keys[tenant], secretContext(tenant, WEBHOOK_KEY_FIELD)),
            ...(provider.name === 'mailjet' ? { basicUser: fixtures.mailjet.user } : {}),
          },
        },
      }));
    }
    const email = await m.call('POST', '/v1/tenants/wh-sg/emails', { to: ['client@customer.example'], subject: 'Invoice W-1', text: 'x' });
    const pixelToken = m.webhooks.deps.pixelTokens.mint('wh-sg', email.body.id);
    routes = [...expressRoutes(m.webhooks.app), ...SERVED_BEFORE_THE_ROUTER, ...WEBHOOKS_SERVED_BEFORE_THE_ROUTER];
    const forgedState = new TokenSigner([{ id: 'k1', key: Buffer.alloc(32, 1) }], 'oauth-state').sign({
      n: 'nonce',
      t: 'wh-sg',
      exp: Date.now() + 60_000,
    });
    catalogue = webhooksCatalogue({ ...fixtures, pixelToken, emailId: email.body.id, opsToken: OPS_TOKEN, forgedState });
  });
  afterAll(() => m.stop());

  it('finds the public routes by walking the app, and has an arbitrary for each of them', () => {
    const keys = [...new Set(routes.map((r) => r.key))];
    expect(keys).toEqual(expect.arrayContaining(['POST /webhooks/:provider/:tenantId', 'GET /t/o/:token', 'GET /oauth/callback']));
    expect(keys.filter((k) => !catalogue[k])).toEqual([]);
    expect(Object.keys(catalogue).filter((k) => !keys.includes(k))).toEqual([]);
  });

  it('every route answers per decision 0005, never a 5xx', async () => {
    const failures: string[] = [];
    const answers: Record<string, Record<number, number>> = {};
    for (const key of [...new Set(routes.map((r) => r.key))]) {
      answers[key] = {};
      const outcome = await fc.check(
        fc.asyncProperty(catalogue[key], async (req) => {
          const res = await rawRequest(m.webhooks.port, req);
          answers[key][res.status] = (answers[key][res.status] ?? 0) + 1;
          if (res.status >= 500)
            throw new Error(`${describeRequest(req)}: answered ${res.status} ${res.body.toString('utf8').slice(0, 300)}`);
          if (key === 'GET /t/o/:token' && res.status === 200 && res.headers['content-type'] !== 'image/gif')
            throw new Error(`${describeRequest(req)}: the pixel answered ${res.headers['content-type']}`);
          // Decision 0005's answers, and the HTTP layer's own before the app (a body, a URL or headers too large).
          if (key.startsWith('POST /webhooks') && ![200, 400, 401, 404, 406, 413, 414, 431].includes(res.status))
            throw new Error(`${describeRequest(req)}: ${res.status} is not an answer of decision 0005`);
        }),
        fuzzOptions(),
      );
      if (outcome.failed)
        failures.push(`${key}: ${String(outcome.errorInstance)}\n(seed ${outcome.seed}, path ${outcome.counterexamplePath})`);
    }
    if (FUZZ.stats) console.log(statusTable(answers));
    expect((await rawRequest(m.webhooks.port, { method: 'GET', path: '/healthz', headers: [] })).status).toBe(200);
    expect(failures).toEqual([]);
  }, 300_000);
});
