import { applyEvent, applySendSuccess, markSending } from './history';
import type { EmailRecord } from './email';
import { capOpenEvents, FIRST_OPEN_EVENTS_KEPT, isRepeatOpen, MAX_OPEN_EVENTS, rememberOpenClient } from './open-events';

const T0 = Date.parse('2026-01-01T00:00:00.000Z');
const at = (s: number) => new Date(T0 + s * 1000).toISOString();

function sentEmail(): EmailRecord {
  const queued: EmailRecord = {
    id: 'em_1',
    tenantId: 't',
    status: 'queued',
    subject: 's',
    to: [{ email: 'a@x.example' }],
    cc: [],
    bcc: [],
    transport: { mode: 'platform' },
    recipients: [{ email: 'a@x.example', kind: 'to', status: 'queued', updatedAt: at(0) }],
    attempts: [],
    events: [{ type: 'queued', at: at(0), key: 'api:queued', source: 'api' }],
    opens: { count: 0, machineCount: 0 },
    test: false,
    hasHtml: true,
    attachmentCount: 0,
    createdAt: at(0),
    updatedAt: at(0),
  };
  return applySendSuccess(markSending(queued, at(1))!, { messageId: '<m>', recipients: [{ email: 'a@x.example', accepted: true }] }, at(2));
}

/** A pixel load at `s` seconds by `client`. */
const pixel = (s: number, client: string, machine = false) => ({
  type: 'opened' as const,
  at: at(s),
  key: `pixel:${s}:${client}`,
  source: 'pixel' as const,
  machine,
  client,
});

function load(rec: EmailRecord, events: ReturnType<typeof pixel>[]): EmailRecord {
  return events.reduce((r, ev) => applyEvent(r, ev, ev.at) ?? r, rec);
}

describe('opens: repeated loads from one client', () => {
  it('count once within a minute, again after it', () => {
    const first = applyEvent(sentEmail(), pixel(100, 'c1'), at(100))!;
    expect(first.opens).toMatchObject({ count: 1, machineCount: 0 });
    expect(applyEvent(first, pixel(130, 'c1'), at(130))).toBeNull(); // the same client, 30 s later: nothing written
    expect(applyEvent(first, pixel(159, 'c1'), at(159))).toBeNull();
    const otherClient = applyEvent(first, pixel(130, 'c2'), at(130))!;
    expect(otherClient.opens.count).toBe(2);
    const aMinuteLater = applyEvent(first, pixel(161, 'c1'), at(161))!;
    expect(aMinuteLater.opens.count).toBe(2);
  });

  it('machine loads are deduplicated the same way and counted apart', () => {
    const rec = load(sentEmail(), [pixel(3, 'scanner', true), pixel(4, 'scanner', true), pixel(5, 'scanner', true), pixel(100, 'person')]);
    expect(rec.opens).toMatchObject({ count: 1, machineCount: 1 });
  });

  it('events without a client (providers) are not deduplicated by client, only by key', () => {
    const ev = { type: 'opened' as const, at: at(50), key: 'sg:1', source: 'sendgrid' as const, recipient: 'a@x.example' };
    const once = applyEvent(sentEmail(), ev, at(50))!;
    expect(applyEvent(once, ev, at(51))).toBeNull();
    expect(applyEvent(once, { ...ev, key: 'sg:2', at: at(51) }, at(51))!.opens.count).toBe(2);
  });

  it('the client is never stored in the event, and few clients are remembered', () => {
    const rec = load(
      sentEmail(),
      Array.from({ length: 120 }, (_, i) => pixel(100 + i / 10, `c${i}`)),
    );
    expect(rec.events.some((e) => 'client' in e)).toBe(false);
    expect(rec.openClients!.length).toBeLessThanOrEqual(50);
    expect(rec.opens.count).toBe(120);
  });

  it('remembers only the last minute', () => {
    const recent = rememberOpenClient(rememberOpenClient(undefined, 'old', at(0)), 'new', at(61));
    expect(recent.map((r) => r.client)).toEqual(['new']);
    expect(isRepeatOpen(recent, 'new', at(100))).toBe(true);
    expect(isRepeatOpen(recent, 'new', at(122))).toBe(false);
  });
});

describe('opens: the timeline keeps the first and the latest', () => {
  it(`at most ${MAX_OPEN_EVENTS} open events, the counters count them all`, () => {
    const rec = load(
      sentEmail(),
      Array.from({ length: 500 }, (_, i) => pixel(100 + i * 61, `c${i % 7}`)),
    );
    const opens = rec.events.filter((e) => e.type === 'opened');
    expect(opens).toHaveLength(MAX_OPEN_EVENTS);
    expect(rec.opens).toMatchObject({
      count: 500,
      machineCount: 0,
      omittedFromTimeline: 450,
      firstAt: at(100),
      lastAt: at(100 + 499 * 61),
    });
    // the first 10 and the latest 40, in time order
    const expected = [...Array.from({ length: FIRST_OPEN_EVENTS_KEPT }, (_, i) => i), ...Array.from({ length: 40 }, (_, i) => 460 + i)];
    expect(opens.map((e) => e.at)).toEqual(expected.map((i) => at(100 + i * 61)));
    // the other events stay
    expect(rec.events.filter((e) => e.type !== 'opened').map((e) => e.type)).toEqual(['queued', 'accepted']);
    expect(JSON.stringify(rec).length).toBeLessThan(20_000);
  });

  it('capOpenEvents leaves a timeline within the limit alone', () => {
    const events = Array.from({ length: 50 }, (_, i) => ({ type: 'opened' as const, at: at(i), key: `k${i}`, source: 'pixel' as const }));
    expect(capOpenEvents(events)).toEqual({ events, omitted: 0 });
  });
});
