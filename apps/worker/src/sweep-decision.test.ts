import type { EmailRecord } from '@mailroom/domain';
import { decideRepair } from './sweep-decision';

const email = (over: Partial<EmailRecord> = {}) => ({ test: false, updatedAt: '2026-01-01T00:00:00.000Z', ...over }) as EmailRecord;
const ctx = { testEmailsOverBefore: '2026-01-01T00:10:00.000Z' };

describe('what the sweep does for an overdue email, by its job', () => {
  it.each(['waiting', 'delayed', 'prioritized', 'active', 'waiting-children'] as const)('leaves a %s job alone', (state) => {
    expect(decideRepair(email(), { state }, ctx)).toEqual({ kind: 'leave' });
  });

  it('re-adds a missing job, and one that completed while the record still waits', () => {
    expect(decideRepair(email(), { state: 'unknown' }, ctx)).toEqual({ kind: 'readd' });
    expect(decideRepair(email(), { state: 'completed' }, ctx)).toEqual({ kind: 'readd' });
  });

  it('gives up with the job’s own reason when BullMQ gave up', () => {
    expect(decideRepair(email(), { state: 'failed', failedReason: 'job stalled more than allowable limit' }, ctx)).toEqual({
      kind: 'give_up',
      code: 'EJOB',
      reason: 'job stalled more than allowable limit',
    });
    expect(decideRepair(email(), { state: 'failed' }, ctx)).toMatchObject({ kind: 'give_up', reason: 'the send job failed' });
  });

  it('a test email (no job of its own) fails once its request is surely over, not before', () => {
    expect(decideRepair(email({ test: true }), { state: 'unknown' }, ctx)).toMatchObject({ kind: 'give_up', code: 'ETEST' });
    expect(decideRepair(email({ test: true, updatedAt: '2026-01-01T00:20:00.000Z' }), { state: 'unknown' }, ctx)).toEqual({
      kind: 'leave',
    });
  });
});
