import { jitteredBackoff, sendJobOptions } from './send-queue';

describe('jitteredBackoff', () => {
  it('doubles per attempt within a jitter band', () => {
    expect(jitteredBackoff(1, 1000, undefined, () => 0)).toBe(500);
    expect(jitteredBackoff(1, 1000, undefined, () => 0.999)).toBe(1499);
    expect(jitteredBackoff(3, 1000, undefined, () => 0.5)).toBe(4000);
  });
  it('lets a Retry-After win', () => {
    expect(jitteredBackoff(5, 1000, { retryAfterMs: 7000 })).toBe(7000);
  });
  it('spreads retries of many jobs', () => {
    const values = new Set(Array.from({ length: 50 }, () => jitteredBackoff(2, 1000)));
    expect(values.size).toBeGreaterThan(10);
  });
  it('keys jobs on the email id', () => {
    expect(sendJobOptions('em_1', { attempts: 3, retryBaseMs: 10 })).toMatchObject({ jobId: 'em_1', attempts: 3 });
  });
});
