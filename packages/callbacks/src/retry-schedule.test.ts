import { verdictOfStatus } from './callback-response';
import { CALLBACK_ATTEMPTS, callbackRetryDelayMs } from './retry-schedule';

describe('the callback retry schedule (Svix)', () => {
  it('eight attempts: at once, then 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h', () => {
    expect(CALLBACK_ATTEMPTS).toBe(8);
    const middle = () => 0.5;
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => callbackRetryDelayMs(n, 1, middle))).toEqual([
      5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000,
    ]);
  });

  it('is jittered by +/-20 % and shrunk by the scale', () => {
    expect(callbackRetryDelayMs(1, 1, () => 0)).toBe(4_000);
    expect(callbackRetryDelayMs(1, 1, () => 0.999999)).toBe(6_000);
    expect(callbackRetryDelayMs(3, 0.001, () => 0.5)).toBe(1_800);
    const spread = new Set(Array.from({ length: 50 }, () => callbackRetryDelayMs(2, 1)));
    expect(spread.size).toBeGreaterThan(10);
  });
});

describe('what an answer means', () => {
  it('2xx delivered, 410 gone, 429 and 5xx retried, other 4xx and 3xx final', () => {
    expect([200, 201, 204, 299].map(verdictOfStatus)).toEqual(['delivered', 'delivered', 'delivered', 'delivered']);
    expect(verdictOfStatus(410)).toBe('gone');
    expect([429, 500, 502, 503, 504].map(verdictOfStatus)).toEqual(['retry', 'retry', 'retry', 'retry', 'retry']);
    expect([400, 401, 403, 404, 408, 422, 301, 302].map(verdictOfStatus)).toEqual(Array(8).fill('final'));
  });
});
