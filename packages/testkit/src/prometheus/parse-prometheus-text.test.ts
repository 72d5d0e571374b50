import { Counter, Histogram, Registry } from 'prom-client';
import { parsePrometheusText, PrometheusTextError, sampleValue, samplesOf } from './parse-prometheus-text';

describe('parsePrometheusText', () => {
  it('reads what prom-client writes: help, type, histogram samples under their family, escaped label values', async () => {
    const registry = new Registry();
    registry.setDefaultLabels({ app: 'x' });
    const c = new Counter({ name: 'jobs_total', help: 'Jobs.\nTwo lines', labelNames: ['kind'], registers: [registry] });
    const h = new Histogram({ name: 'wait_seconds', help: 'Wait.', buckets: [1, 5], registers: [registry] });
    c.inc({ kind: 'a "quoted"\\ one\nwith a newline' }, 3);
    c.inc({ kind: 'b' });
    h.observe(2);
    h.observe(7);
    const families = parsePrometheusText(await registry.metrics());

    const jobs = families.find((f) => f.name === 'jobs_total')!;
    expect(jobs).toMatchObject({ type: 'counter', help: 'Jobs.\nTwo lines' });
    expect(jobs.samples.map((s) => s.labels.kind).sort()).toEqual(['a "quoted"\\ one\nwith a newline', 'b']);
    expect(sampleValue(families, 'jobs_total', { kind: 'b', app: 'x' })).toBe(1);
    expect(sampleValue(families, 'jobs_total')).toBe(4);

    const wait = families.find((f) => f.name === 'wait_seconds')!;
    expect(wait.type).toBe('histogram');
    expect(samplesOf(families, 'wait_seconds_bucket').map((s) => [s.labels.le, s.value])).toEqual([
      ['1', 0],
      ['5', 1],
      ['+Inf', 2],
    ]);
    expect(sampleValue(families, 'wait_seconds_sum')).toBe(9);
    expect(sampleValue(families, 'wait_seconds_count')).toBe(2);
  });

  it('takes timestamps, special values and plain comments; refuses a malformed line, naming it', () => {
    const families = parsePrometheusText('# a comment\nup 1 1700000000000\nratio NaN\nlag Nan\nbig +Inf\nsmall -Inf\n');
    expect(families.map((f) => [f.name, f.samples[0].value])).toEqual([
      ['up', 1],
      ['ratio', NaN],
      ['lag', NaN],
      ['big', Infinity],
      ['small', -Infinity],
    ]);
    expect(() => parsePrometheusText('ok 1\nbroken{a="x" 1\n')).toThrow(new PrometheusTextError(2, 'expected , or } after label a'));
    expect(() => parsePrometheusText('x{a="1"} one\n')).toThrow(PrometheusTextError);
  });
});
