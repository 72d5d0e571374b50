import { applySendFailure, markSending, recordInterruptedAttempt } from '@mailroom/domain';
import { at, makeContent, makeEmail, StoreRef, uniqueTenantId } from './contract-fixtures';

/**
 * The mark of an attempt in flight (`attemptInFlightSince`, decision 0064) is part of the record:
 * every adapter keeps it across writes and drops it when a transition takes it away, so the next
 * attempt reads what the last one left.
 */
export function describeAttemptInFlightContract(store: StoreRef): void {
  describe('emails: the attempt in flight', () => {
    it('is kept from markSending until an outcome clears it, on a deferred email’s retry too', async () => {
      const tenantId = uniqueTenantId('in-flight');
      const email = makeEmail(tenantId, `${tenantId}-e1`);
      await store().emails.create({ email, content: makeContent() });
      const greylisted = { code: 'EENVELOPE', retryable: true, responseCode: 451, response: '451 try later' };

      await store().emails.update(tenantId, email.id, (e) => markSending(e, at(1)));
      expect((await store().emails.get(tenantId, email.id))!.attemptInFlightSince).toBe(at(1));
      await store().emails.update(tenantId, email.id, (e) => applySendFailure(e, greylisted, at(2), false, at(60)));
      expect(await store().emails.get(tenantId, email.id)).not.toHaveProperty('attemptInFlightSince');

      const retrying = await store().emails.update(tenantId, email.id, (e) => markSending(e, at(60)));
      expect(retrying).toMatchObject({ status: 'deferred', attemptInFlightSince: at(60) });
      expect(await store().emails.get(tenantId, email.id)).toEqual(retrying);

      const cut = await store().emails.update(tenantId, email.id, (e) => recordInterruptedAttempt(e, at(90)));
      const read = await store().emails.get(tenantId, email.id);
      expect(read).toEqual(cut);
      expect(read).not.toHaveProperty('attemptInFlightSince');
      expect(read!.attempts.map((a) => a.code)).toEqual(['EENVELOPE', 'interrupted']);
    });
  });
}
