import { emailIdTime, newEmailId } from './new-email-record';

describe('newEmailId', () => {
  it('is em_ + 12 hex of milliseconds + 16 hex of randomness, unique across many refills of its random pool', () => {
    const now = new Date('2026-11-30T18:00:00.000Z');
    const ids = Array.from({ length: 10_000 }, () => newEmailId(now));
    expect(new Set(ids).size).toBe(ids.length);
    const prefix = `em_${now.getTime().toString(16).padStart(12, '0')}`;
    for (const id of ids) expect(id).toMatch(new RegExp(`^${prefix}[0-9a-f]{16}$`));
    // A millisecond later sorts after every id of the millisecond before, whatever their randomness.
    const later = newEmailId(new Date(now.getTime() + 1));
    expect(ids.every((id) => id < later)).toBe(true);
  });
});

describe('emailIdTime', () => {
  it('reads back the millisecond an id was minted at', () => {
    for (const at of ['2026-11-30T18:00:00.123Z', '1970-01-01T00:00:00.000Z', '2100-06-01T00:00:00.999Z'])
      expect(emailIdTime(newEmailId(new Date(at)))).toBe(Date.parse(at));
  });

  it('is null for an id of another shape', () => {
    for (const id of ['em_01JD3Q6X', 'em_a4', `em_${'g'.repeat(28)}`, `x${newEmailId(new Date()).slice(1)}`, ''])
      expect(emailIdTime(id)).toBeNull();
  });
});
