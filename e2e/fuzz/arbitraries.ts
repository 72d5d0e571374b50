import fc from 'fast-check';

/**
 * What careless clients and attackers send, as fast-check arbitraries: odd strings, hostile JSON
 * values, bodies that are not JSON at all, path segments in every (mis)encoding, and bad headers.
 * The route catalogues build their requests from these.
 */

const ODD_CHARS = [
  '\u0000', // NUL
  '\ud800', // lone high surrogate
  '\udfff', // lone low surrogate
  '\u202e', // right-to-left override
  '\u200f', // right-to-left mark
  '\u200b', // zero-width space
  '\ufeff', // BOM
  '\u2028', // line separator
  '\u0085', // next line
  '\r\n',
  '\t',
  '😀',
  'é',
  'ǅ',
  '"',
  '\\',
  '%',
  '../',
  '<script>',
  "'",
  '${x}',
  '{{x}}',
];

export const oddString: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 30 }) },
  {
    weight: 3,
    arbitrary: fc.array(fc.oneof(fc.constantFrom(...ODD_CHARS), fc.string({ maxLength: 4 })), { maxLength: 8 }).map((a) => a.join('')),
  },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '',
      ' ',
      'null',
      'undefined',
      'true',
      '0',
      '-1',
      'NaN',
      'Infinity',
      '__proto__',
      'constructor',
      'a@b',
      '@',
      'x@y.z\r\nBcc: v@w.x',
    ),
  },
  { weight: 1, arbitrary: fc.constantFrom(300, 5_000, 70_000).map((n) => 'x'.repeat(n)) },
);

/** Raw JSON text spliced into a body where a value goes: deep nesting cannot be built as a JS value and stringified. */
export class RawJson {
  constructor(readonly text: string) {}
}

const deepJson = fc.tuple(fc.constantFrom(200, 3_000, 50_000), fc.constantFrom('[', '{"a":')).map(([depth, open]) => {
  const close = open === '[' ? ']' : '}';
  return new RawJson(open.repeat(depth) + '1' + close.repeat(depth));
});

/** A value of any wrong kind for a field. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: oddString },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 2, arbitrary: fc.constantFrom<unknown>(null, true, false, 0, -1, 1.5, 1e308, -1e308, 2 ** 53 + 1, [], {}, [null], { '': '' }) },
  { weight: 1, arbitrary: deepJson },
  { weight: 1, arbitrary: fc.array(oddString, { maxLength: 60 }) },
  { weight: 1, arbitrary: fc.constantFrom(1_000, 20_000).map((n) => Array.from({ length: n }, (_, i) => `a${i}@x.example`)) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(10_000, 100_000).map((n) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, i]))),
  },
  { weight: 1, arbitrary: fc.constantFrom(3_000_000).map((n) => 'y'.repeat(n)) },
);

type Path = (string | number)[];

function pathsOf(value: unknown, at: Path = []): Path[] {
  if (value === null || typeof value !== 'object') return [at];
  const keys = Array.isArray(value) ? value.map((_, i) => i) : Object.keys(value);
  return [at, ...keys.flatMap((k) => pathsOf((value as Record<string | number, unknown>)[k], [...at, k]))];
}

function setAt(value: unknown, path: Path, replacement: unknown, remove = false): unknown {
  if (path.length === 0) return replacement;
  const copy = (Array.isArray(value) ? [...value] : { ...(value as object) }) as Record<string | number, unknown>;
  const [head, ...rest] = path;
  if (rest.length === 0 && remove) {
    if (Array.isArray(copy)) (copy as unknown[]).splice(head as number, 1);
    else delete copy[head];
  } else copy[head] = setAt(copy[head], rest, replacement, remove);
  return copy;
}

/** JSON text of a value that may hold RawJson parts. */
export function toJsonText(value: unknown): string {
  const raws: string[] = [];
  const text = JSON.stringify(value, (_k, v) => {
    if (v instanceof RawJson) {
      raws.push(v.text);
      return `\u0000RAW${raws.length - 1}\u0000`;
    }
    return v;
  });
  return (text ?? 'null').replace(/"\\u0000RAW(\d+)\\u0000"/g, (_m, i) => raws[Number(i)]);
}

/**
 * Bodies around valid ones: mostly a valid body with one part replaced by a hostile value, removed,
 * or joined by an unknown key; sometimes the valid body itself, or a hostile value as the whole body.
 */
export function mutatedJson(...valid: unknown[]): fc.Arbitrary<string> {
  const one = (template: unknown) => {
    const paths = pathsOf(template);
    const inner = paths.filter((p) => p.length > 0);
    return fc.oneof(
      { weight: 3, arbitrary: fc.constant(template) },
      { weight: 5, arbitrary: fc.tuple(fc.constantFrom(...paths), hostileValue).map(([p, v]) => setAt(template, p, v)) },
      ...(inner.length > 0 ? [{ weight: 2, arbitrary: fc.constantFrom(...inner).map((p) => setAt(template, p, undefined, true)) }] : []),
      { weight: 1, arbitrary: fc.tuple(oddString, hostileValue).map(([k, v]) => ({ ...(template as object), [k]: v })) },
      { weight: 1, arbitrary: hostileValue },
    );
  };
  return fc.oneof(...valid.map(one)).map(toJsonText);
}

const MALFORMED = [
  '',
  '{',
  '{"a":',
  '[1,2,',
  "{'a':1}",
  '{"a":1,}',
  '{a:1}',
  'NaN',
  '{"a":01}',
  '{"a":1e99999}',
  '\ufeff{}',
  '{"a":"\\x41"}',
  '{"a":"\\ud800"}',
  '{"a":"\\u00"}',
  '//c\n{}',
  '{} {}',
  'null',
  '"string"',
  '12',
  'true',
  '[]',
  '{"__proto__":{"polluted":1}}',
  '{"constructor":{"prototype":{"polluted":1}}}',
  '{"a":1,"a":2}',
];

/** A request body: JSON text around valid ones, malformed JSON, or bytes that are not UTF-8 at all. */
export function body(...valid: unknown[]): fc.Arbitrary<Buffer> {
  return fc.oneof(
    { weight: 8, arbitrary: mutatedJson(...valid).map((t) => Buffer.from(t, 'utf8')) },
    { weight: 2, arbitrary: fc.constantFrom(...MALFORMED).map((t) => Buffer.from(t, 'utf8')) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 64 }).map((a) => Buffer.from(a)) },
    { weight: 1, arbitrary: fc.constant(Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0xff, 0xfe, 0x22, 0x7d])) },
  );
}

/** A URL path segment in every (mis)encoding: raw escapes, invalid UTF-8, traversal, the very long. */
export const pathSegment = (...valid: string[]): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 12, arbitrary: fc.constantFrom(...valid) },
    { weight: 2, arbitrary: fc.stringMatching(/^[A-Za-z0-9_-]{1,70}$/) },
    { weight: 2, arbitrary: oddString.map((s) => percentEncode(s)) },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        '%',
        '%zz',
        '%E0%A4%A',
        '%C0%AE%C0%AE',
        '%FF%FE',
        '%ED%A0%80',
        '%00',
        '%2F',
        '%2e%2e',
        '..',
        '.',
        '%u0041',
        '%25',
        ';',
        'a;b=c',
        '~',
        'a%20b',
        '%0d%0aX-Injected:%201',
        'x'.repeat(4_000),
      ),
    },
  );

/** Percent-encodes every byte of the UTF-8 form (lone surrogates become EF BF BD, as Node encodes them). */
export function percentEncode(s: string): string {
  return [...Buffer.from(s, 'utf8')]
    .map((b) =>
      /[A-Za-z0-9_~.-]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`,
    )
    .join('');
}

/** A query string: known parameter names with odd values, repeated and bracketed names, garbage. */
export const queryString = (names: string[]): fc.Arbitrary<string> =>
  fc
    .array(
      fc.tuple(
        fc.oneof(
          fc.constantFrom(...names),
          fc.constantFrom(...names).map((n) => `${n}[x]`),
          fc.constantFrom(...names).map((n) => `${n}[]`),
          oddString.map(percentEncode),
        ),
        fc.oneof(
          fc.constantFrom(
            '1',
            '0',
            '-5',
            '1e309',
            'true',
            'false',
            '2026-01-01T00:00:00Z',
            '2026-13-45T99:99:99Z',
            'bounced',
            'queued',
            'x',
            '',
          ),
          oddString.map(percentEncode),
          fc.constantFrom('%', '%zz', '%E0%A4%A', 'a+b', '%00'),
        ),
      ),
      { maxLength: 6 },
    )
    .map((pairs) => (pairs.length ? `?${pairs.map(([k, v]) => `${k}=${v}`).join('&')}` : ''));

export interface HeaderContext {
  platformKey: string;
  tenantToken: string;
  otherTenantToken: string;
  opsToken: string;
}

/** Authorization in every form, mostly one that gets past authentication so the route itself is reached. */
export const authorization = (c: HeaderContext): fc.Arbitrary<[string, string][]> =>
  fc.oneof(
    { weight: 16, arbitrary: fc.constant<[string, string][]>([['Authorization', `Bearer ${c.platformKey}`]]) },
    { weight: 3, arbitrary: fc.constant<[string, string][]>([['Authorization', `Bearer ${c.tenantToken}`]]) },
    {
      weight: 3,
      arbitrary: fc
        .constantFrom(
          `bearer ${c.platformKey}`,
          `Bearer  ${c.platformKey}`,
          `Bearer ${c.platformKey} extra`,
          `Bearer ${c.otherTenantToken}`,
          `Bearer ${c.opsToken}`,
          `Basic ${Buffer.from(`x:${c.platformKey}`).toString('base64')}`,
          'Bearer',
          'Bearer ',
          'Bearer mrt_',
          'Bearer mrt_a.b.c',
          'Bearer mrt_e30.k1.AAAA',
          `Bearer ${'A'.repeat(8_000)}`,
          'Digest username="x"',
          '',
          'Bearer \u00ff\u00fe',
        )
        .map((v): [string, string][] => [['Authorization', v]]),
    },
    { weight: 1, arbitrary: fc.constant<[string, string][]>([]) },
  );

/** Content-Type, Content-Encoding and friends, mostly the right ones. */
export const bodyHeaders: fc.Arbitrary<[string, string][]> = fc
  .tuple(
    fc.oneof(
      { weight: 16, arbitrary: fc.constant<string | undefined>('application/json') },
      {
        weight: 3,
        arbitrary: fc.constantFrom<string | undefined>(
          undefined,
          'application/json; charset=utf-8',
          'application/json; charset="UTF-8"',
          'application/json; charset=utf-16',
          'application/json; charset=latin1',
          'application/json; charset=x-unknown',
          'application/json;;;',
          'application/vnd.api+json',
          'text/plain',
          'text/json',
          'application/x-www-form-urlencoded',
          'multipart/form-data; boundary=xyz',
          'application/octet-stream',
          '*/*',
          'application',
          '',
          'application/json\u00ff',
        ),
      },
    ),
    fc.oneof(
      { weight: 16, arbitrary: fc.constant<string | undefined>(undefined) },
      { weight: 2, arbitrary: fc.constantFrom<string | undefined>('gzip', 'deflate', 'br', 'identity', 'x-unknown', 'gzip, gzip', 'GZIP') },
    ),
  )
  .map(([type, encoding]) => [
    ...(type === undefined ? [] : [['Content-Type', type] as [string, string]]),
    ...(encoding ? [['Content-Encoding', encoding] as [string, string]] : []),
  ]);

/** Idempotency-Key: absent, fine, or not. */
export const idempotencyKey: fc.Arbitrary<[string, string][]> = fc.oneof(
  { weight: 4, arbitrary: fc.constant<[string, string][]>([]) },
  { weight: 2, arbitrary: fc.stringMatching(/^[!-~]{1,200}$/).map((k): [string, string][] => [['Idempotency-Key', k]]) },
  {
    weight: 2,
    arbitrary: fc
      .constantFrom('', ' ', 'a b', 'x'.repeat(201), 'é', '\u00ff', 'k\tk', 'inv-0042')
      .map((k): [string, string][] => [['Idempotency-Key', k]]),
  },
);
