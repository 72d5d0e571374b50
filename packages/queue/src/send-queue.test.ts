import { jitteredBackoff, sendJobOptions } from './send-queue';

const B = { baseMs: 1000, maxMs: 60_000 };

describe('jitteredBackoff', () => {
  it('doubles per attempt within a jitter band', () => {
    expect(jitteredBackoff(1, B, undefined, () => 0)).toBe(500);
    expect(jitteredBackoff(1, B, undefined, () => 0.999)).toBe(1499);
    expect(jitteredBackoff(3, B, undefined, () => 0.5)).toBe(4000);
  });
  it('stops doubling at the cap, still jittered, so a server that is back is tried again soon', () => {
    expect(jitteredBackoff(7, B, undefined, () => 0.5)).toBe(60_000);
    expect(jitteredBackoff(12, B, undefined, () => 0.5)).toBe(60_000);
    expect(jitteredBackoff(12, B, undefined, () => 0)).toBe(30_000);
    expect(jitteredBackoff(12, B, undefined, () => 0.999)).toBe(89_940);
  });
  it('lets a Retry-After win', () => {
    expect(jitteredBackoff(5, B, { retryAfterMs: 7000 })).toBe(7000);
  });
  it('spreads retries of many jobs', () => {
    const values = new Set(Array.from({ length: 50 }, () => jitteredBackoff(2, B)));
    expect(values.size).toBeGreaterThan(10);
  });
  it('keys jobs on the email id', () => {
    expect(sendJobOptions('em_1', { attempts: 3, retryBaseMs: 10 })).toMatchObject({ jobId: 'em_1', attempts: 3 });
  });
});
