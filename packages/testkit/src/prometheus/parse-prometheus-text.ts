/**
 * A small reader of the Prometheus text exposition format (version 0.0.4), enough for tests to
 * scrape /metrics and look at families, samples and label values rather than match lines.
 * https://prometheus.io/docs/instrumenting/exposition_formats/#text-based-format
 */
export interface PromSample {
  /** The sample's own name (`x_bucket`, `x_sum`... for histograms). */
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface PromFamily {
  name: string;
  help?: string;
  type?: string;
  samples: PromSample[];
}

export class PrometheusTextError extends Error {
  override readonly name = 'PrometheusTextError';
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`line ${line}: ${message}`);
  }
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*/;
const SUFFIXES = ['_bucket', '_sum', '_count', '_total', '_created'];

/** Go's ParseFloat, which Prometheus uses, takes Inf and NaN in any case (prom-client writes `Nan`). */
function parseValue(raw: string, lineNo: number): number {
  if (/^\+?inf$/i.test(raw)) return Infinity;
  if (/^-inf$/i.test(raw)) return -Infinity;
  if (/^nan$/i.test(raw)) return NaN;
  const n = Number(raw);
  if (raw === '' || Number.isNaN(n)) throw new PrometheusTextError(lineNo, `not a value: "${raw}"`);
  return n;
}

/** Reads `{a="x",b="y\"z"}` from the start of `s`; returns the labels and what follows. */
function parseLabels(s: string, lineNo: number): { labels: Record<string, string>; rest: string } {
  const labels: Record<string, string> = {};
  let i = 1;
  for (;;) {
    while (s[i] === ' ') i++;
    if (s[i] === '}') return { labels, rest: s.slice(i + 1) };
    const name = LABEL_NAME.exec(s.slice(i))?.[0];
    if (!name) throw new PrometheusTextError(lineNo, `bad label name at "${s.slice(i, i + 20)}"`);
    i += name.length;
    if (s[i] !== '=' || s[i + 1] !== '"') throw new PrometheusTextError(lineNo, `label ${name} without ="value"`);
    i += 2;
    let value = '';
    for (;;) {
      const c = s[i];
      if (c === undefined) throw new PrometheusTextError(lineNo, `unterminated value of label ${name}`);
      if (c === '"') break;
      if (c === '\\') {
        const next = s[i + 1];
        value += next === 'n' ? '\n' : next;
        i += 2;
      } else {
        value += c;
        i++;
      }
    }
    if (name in labels) throw new PrometheusTextError(lineNo, `label ${name} given twice`);
    labels[name] = value;
    i++;
    while (s[i] === ' ') i++;
    if (s[i] === ',') i++;
    else if (s[i] !== '}') throw new PrometheusTextError(lineNo, `expected , or } after label ${name}`);
  }
}

function familyOf(families: Map<string, PromFamily>, sampleName: string): PromFamily {
  const direct = families.get(sampleName);
  if (direct) return direct;
  const suffix = SUFFIXES.find((x) => sampleName.endsWith(x));
  const base = suffix ? families.get(sampleName.slice(0, -suffix.length)) : undefined;
  if (base) return base;
  const f: PromFamily = { name: sampleName, samples: [] };
  families.set(sampleName, f);
  return f;
}

/** Every family in the text, in order; throws PrometheusTextError naming the line of anything malformed. */
export function parsePrometheusText(text: string): PromFamily[] {
  const families = new Map<string, PromFamily>();
  text.split('\n').forEach((raw, index) => {
    const lineNo = index + 1;
    const line = raw.trim();
    if (!line) return;
    if (line.startsWith('#')) {
      const m = /^#\s+(HELP|TYPE)\s+(\S+)(?:\s+(.*))?$/.exec(line);
      if (!m) return; // an ordinary comment
      const f = families.get(m[2]) ?? { name: m[2], samples: [] };
      families.set(m[2], f);
      if (m[1] === 'HELP') f.help = (m[3] ?? '').replace(/\\n/g, '\n').replace(/\\\\/g, '\\');
      else f.type = m[3];
      return;
    }
    const name = NAME.exec(line)?.[0];
    if (!name) throw new PrometheusTextError(lineNo, `not a sample: "${line.slice(0, 40)}"`);
    let rest = line.slice(name.length);
    let labels: Record<string, string> = {};
    if (rest.startsWith('{')) ({ labels, rest } = parseLabels(rest, lineNo));
    const [value, timestamp, extra] = rest.trim().split(/\s+/);
    if (extra !== undefined || (timestamp !== undefined && !/^-?\d+$/.test(timestamp)))
      throw new PrometheusTextError(lineNo, `unexpected "${rest.trim()}" after the labels`);
    familyOf(families, name).samples.push({ name, labels, value: parseValue(value ?? '', lineNo) });
  });
  return [...families.values()];
}

/** The samples named `name` whose labels include all of `labels`. */
export function samplesOf(families: PromFamily[], name: string, labels: Record<string, string> = {}): PromSample[] {
  return families.flatMap((f) => f.samples).filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
}

/** The sum of the matching samples' values (0 when none match). */
export function sampleValue(families: PromFamily[], name: string, labels: Record<string, string> = {}): number {
  return samplesOf(families, name, labels).reduce((n, s) => n + s.value, 0);
}
