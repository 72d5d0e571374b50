import fc from 'fast-check';
import { RunningSmtpSink, refusingPort, startSmtpSink } from '@mailroom/testkit';
import { authorization, bodyHeaders, idempotencyKey, pathSegment } from './fuzz/arbitraries';
import { apiCatalogue, RouteArbitraries } from './fuzz/api-catalogue';
import { expressRoutes, FoundRoute, SERVED_BEFORE_THE_ROUTER } from './fuzz/express-routes';
import { soundnessProblem } from './fuzz/expect-sound-answer';
import { FUZZ, fuzzOptions, statusTable } from './fuzz/fuzz-settings';
import { describeRequest, rawRequest, RawRequest } from './fuzz/raw-http';
import { API_KEY, Mailroom, OPS_TOKEN, startMailroom, waitFor } from './support/mailroom-harness';

/**
 * Every route of the real API, fuzzed: malformed JSON, wrong types, huge and deeply nested values,
 * odd unicode, bad headers and mis-encoded path parameters. No answer may be a 5xx, the process must
 * not crash, and a 400 names what is wrong. See fuzz/fuzz-settings.ts for a longer run.
 */
describe(`fuzzing every API route (seed ${FUZZ.seed}, ${FUZZ.numRuns} runs each)`, () => {
  let m: Mailroom;
  let sink: RunningSmtpSink;
  let routes: FoundRoute[];
  let catalogue: Record<string, RouteArbitraries>;
  let tokens: { tenantToken: string; otherTenantToken: string };

  beforeAll(async () => {
    const nowhere = `127.0.0.1:${await refusingPort()}`;
    m = await startMailroom(
      {
        SENDGRID_API_URL: `http://${nowhere}`,
        MAILGUN_API_URL_US: `http://${nowhere}`,
        MAILGUN_API_URL_EU: `http://${nowhere}`,
        MAILJET_API_URL: `https://${nowhere}`,
        TEST_EMAILS_PER_MINUTE: '100000',
        TEST_EMAIL_TIMEOUT_MS: '3000',
        MAX_ATTACHMENT_BYTES: String(1024 * 1024),
        SEND_ATTEMPTS: '2',
        SMTP_CONNECTION_TIMEOUT_MS: '500',
        SMTP_GREETING_TIMEOUT_MS: '500',
        // Connecting a mailbox is offered (the start route only builds a URL: the vendor is never called).
        GOOGLE_OAUTH_CLIENT_ID: 'fuzz-google-app',
        GOOGLE_OAUTH_CLIENT_SECRET: 'fuzz-google-secret',
        GOOGLE_OAUTH_TOKEN_URL: `http://${nowhere}/token`,
        OAUTH_RETURN_HOSTS: 'app.fuzz.example',
      },
      // The worker runs too: what the fuzzer gets accepted is then built into messages and sent.
      { worker: true },
    );
    sink = await startSmtpSink({ tls: 'starttls', auth: { users: { 'billing@fuzz.example': 'pw-fuzz-0001' } } });
    for (const id of ['fz', 'fz-other']) await m.call('PUT', `/v1/tenants/${id}`, { name: 'Fuzz Co', plan: 'premium' });
    await m.call('PUT', '/v1/tenants/fz/email-settings', { mode: 'platform', senderName: 'Fuzz Co', replyTo: 'billing@fuzz.example' });
    const email = await m.call('POST', '/v1/tenants/fz/emails', { to: ['client@customer.example'], subject: 'Invoice 1', text: 'x' });
    tokens = {
      tenantToken: (await m.call('POST', '/v1/tenants/fz/tokens')).body.token,
      otherTenantToken: (await m.call('POST', '/v1/tenants/fz-other/tokens')).body.token,
    };
    routes = [...expressRoutes(m.api.app), ...SERVED_BEFORE_THE_ROUTER];
    catalogue = apiCatalogue({ tenant: 'fz', emailId: email.body.id, sinkPort: sink.port });
  });
  afterAll(async () => {
    await m.stop();
    await sink.close();
  });

  it('finds the routes by walking the app, and has an arbitrary for each of them (and none for a route that is gone)', () => {
    const keys = [...new Set(routes.map((r) => r.key))];
    expect(keys).toEqual(expect.arrayContaining(['PUT /v1/tenants/:tenantId', 'GET /v1/tenants/:tenantId/emails/:emailId', 'MOUNT /ui']));
    expect(keys.filter((k) => !catalogue[k])).toEqual([]);
    expect(Object.keys(catalogue).filter((k) => !keys.includes(k))).toEqual([]);
  });

  function requestFor(route: FoundRoute, spec: RouteArbitraries): fc.Arbitrary<RawRequest> {
    const auth =
      spec.auth === 'ops'
        ? fc.constantFrom<[string, string][]>(
            [['Authorization', `Bearer ${OPS_TOKEN}`]],
            [['Authorization', `Basic ${Buffer.from(`ops:${OPS_TOKEN}`).toString('base64')}`]],
            [['Authorization', `Bearer ${API_KEY}`]],
            [['Authorization', 'Basic %%%']],
            [],
          )
        : authorization({ platformKey: API_KEY, opsToken: OPS_TOKEN, ...tokens });
    const names = [...route.path.matchAll(/:(\w+)/g)].map((x) => x[1]);
    const params = fc.tuple(...names.map((n) => pathSegment(...(spec.params?.[n] ?? ['x']))));
    const path = params.map((values) => names.reduce((p, n, i) => p.replace(`:${n}`, values[i]), route.path));
    const full = spec.mount
      ? fc
          .tuple(fc.constantFrom(...spec.mount.subPaths), fc.array(pathSegment('a'), { maxLength: 2 }))
          .map(([sub, extra]) => `${route.path}${sub}${extra.map((e) => `/${e}`).join('')}`)
      : fc.tuple(path, spec.query ?? fc.constant('')).map(([p, q]) => p + q);
    const method = spec.mount ? fc.constantFrom(...spec.mount.methods) : fc.constant(route.method);
    const withBody = spec.body ? fc.option(spec.body, { freq: 8, nil: undefined }) : fc.constant(undefined);
    return fc
      .record({
        method,
        path: full,
        auth,
        bodyHeaders,
        idem: spec.idempotent ? idempotencyKey : fc.constant([] as [string, string][]),
        body: withBody,
      })
      .map((r) => ({ method: r.method, path: r.path, body: r.body, headers: [...r.auth, ...(r.body ? r.bodyHeaders : []), ...r.idem] }));
  }

  it('every route: no 5xx, no crash, and a 400 names what is wrong', async () => {
    const failures: string[] = [];
    const answers: Record<string, Record<number, number>> = {};
    for (const key of [...new Set(routes.map((r) => r.key))]) {
      answers[key] = {};
      const route = routes.find((r) => r.key === key)!;
      const jsonErrors = !key.startsWith('MOUNT');
      const outcome = await fc.check(
        fc.asyncProperty(requestFor(route, catalogue[key]), async (req) => {
          const res = await rawRequest(m.api.port, req);
          answers[key][res.status] = (answers[key][res.status] ?? 0) + 1;
          const problem = soundnessProblem(req, res, { jsonErrors });
          if (problem) throw new Error(`${describeRequest(req)}: ${problem}`);
        }),
        fuzzOptions(),
      );
      if (outcome.failed)
        failures.push(`${key}: ${String(outcome.errorInstance)}\n(seed ${outcome.seed}, path ${outcome.counterexamplePath})`);
      expect((await m.call('GET', '/healthz')).status).toBe(200);
    }
    if (FUZZ.stats) console.log(statusTable(answers));
    expect(failures).toEqual([]);
  }, 300_000);

  it('what the fuzzer got accepted, the worker sent or failed for a reason: no internal error, no crash', async () => {
    const unsettled = async () => {
      const page = await m.call('GET', '/v1/tenants/fz/emails?limit=200');
      return (page.body.items as { status: string }[]).filter((e) => ['queued', 'sending', 'deferred'].includes(e.status)).length;
    };
    await waitFor(async () => (await unsettled()) === 0, 'the fuzzed emails to settle', 60_000, 200);
    const items: { id: string; attempts: { code?: string; response?: string }[] }[] = [];
    for (let cursor: string | null = ''; cursor !== null;) {
      const page: { body: { items: typeof items; nextCursor: string | null } } = await m.call(
        'GET',
        `/v1/tenants/fz/emails?limit=200${cursor ? `&cursor=${cursor}` : ''}`,
      );
      items.push(...page.body.items);
      cursor = page.body.nextCursor;
    }
    const internal = items.flatMap((e) => e.attempts.filter((a) => a.code === 'EINTERNAL').map((a) => `${e.id}: ${a.response}`));
    if (FUZZ.stats) console.log(items.map((e) => (e as unknown as { status: string }).status).join(' '));
    expect(internal).toEqual([]);
    expect(m.worker!.worker.isRunning()).toBe(true);
  }, 90_000);
});
