import { canMove, RECIPIENT_STATUSES, statusRank, summariseStatus } from './status';

describe('suppressed and canceled in the status model', () => {
  it('both have a rank', () => {
    for (const s of RECIPIENT_STATUSES) expect(typeof statusRank(s)).toBe('number');
  });

  it('only a recipient not yet accepted can be suppressed or canceled', () => {
    for (const from of ['queued', 'sending', 'deferred'] as const) {
      expect(canMove(from, 'suppressed')).toBe(true);
      expect(canMove(from, 'canceled')).toBe(true);
    }
    for (const from of ['accepted', 'delivered', 'opened', 'bounced', 'failed', 'complained'] as const) {
      expect(canMove(from, 'suppressed')).toBe(false);
      expect(canMove(from, 'canceled')).toBe(false);
    }
  });

  it('a suppressed recipient is never marked by the send of the others', () => {
    expect(canMove('suppressed', 'accepted')).toBe(false);
    expect(canMove('suppressed', 'deferred')).toBe(false);
    expect(canMove('suppressed', 'sending')).toBe(false);
  });

  it('a send already on the wire when the cancel landed may still say it was accepted', () => {
    expect(canMove('canceled', 'accepted')).toBe(true);
    expect(canMove('canceled', 'queued')).toBe(false);
  });

  it('an email whose every recipient is suppressed is suppressed; others still go', () => {
    expect(summariseStatus(['suppressed', 'suppressed'])).toBe('suppressed');
    expect(summariseStatus(['suppressed', 'accepted'])).toBe('accepted');
    // A recipient still waiting for a send keeps the email deferred (not final), in either order.
    expect(summariseStatus(['accepted', 'deferred'])).toBe('deferred');
    expect(summariseStatus(['deferred', 'accepted'])).toBe('deferred');
    expect(summariseStatus(['queued', 'suppressed'])).toBe('queued');
    expect(summariseStatus(['canceled', 'canceled'])).toBe('canceled');
  });

  it('a server verdict outranks our own decision not to send', () => {
    expect(summariseStatus(['suppressed', 'bounced'])).toBe('bounced');
    expect(summariseStatus(['failed', 'suppressed'])).toBe('failed');
    expect(summariseStatus(['canceled', 'failed'])).toBe('failed');
    expect(summariseStatus(['canceled', 'suppressed'])).toBe('suppressed');
    expect(summariseStatus(['dropped', 'failed'])).toBe('failed');
    expect(summariseStatus(['complained', 'bounced'])).toBe('complained');
  });
});
