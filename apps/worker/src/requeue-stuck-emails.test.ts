import { randomBytes } from 'node:crypto';
import { UnrecoverableError, Worker } from 'bullmq';
import pino from 'pino';
import type { EmailRecord, RecipientStatus } from '@mailroom/domain';
import {
  createRedisConnection,
  createSendQueue,
  inspectSendJob,
  SEND_QUEUE,
  SendJobData,
  sendJobOptionsFor,
  TenantLanes,
} from '@mailroom/queue';
import { SqliteStore } from '@mailroom/store';
import { requeueStuckEmails, SweepDeps } from './requeue-stuck-emails';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const T0 = Date.parse('2026-02-01T10:00:00.000Z');
const at = (s: number) => new Date(T0 + s * 1000).toISOString();

/** The tenant lanes' keys of a test prefix (queue.obliterate removes only BullMQ's). */
async function deleteLanes(redis: ReturnType<typeof createRedisConnection>, prefix: string): Promise<void> {
  const keys = await redis.keys(`${prefix}:tenant-lanes*`);
  if (keys.length) await redis.del(...keys);
}

function email(id: string, over: Partial<EmailRecord> & { recipientStatus?: RecipientStatus; nextAttemptAt?: string } = {}): EmailRecord {
  const { recipientStatus = 'queued', ...rest } = over;
  const status = rest.status ?? recipientStatus;
  return {
    id,
    tenantId: 'sweep',
    status,
    subject: `Invoice ${id}`,
    to: [{ email: 'client@customer.example' }],
    cc: [],
    bcc: [],
    transport: { mode: 'platform' },
    recipients: [
      {
        email: 'client@customer.example',
        kind: 'to',
        status: recipientStatus,
        ...(rest.nextAttemptAt ? { nextAttemptAt: rest.nextAttemptAt } : {}),
        updatedAt: at(0),
      },
    ],
    attempts: [],
    events: [{ type: 'queued', at: at(0), key: 'api:queued', source: 'api' }],
    opens: { count: 0, machineCount: 0 },
    test: false,
    hasHtml: false,
    attachmentCount: 0,
    createdAt: at(0),
    updatedAt: at(0),
    ...rest,
  };
}

/** The sweep against the real Redis (its own prefix) and a real SQLite store, with no worker running. */
describe('the sweep repairs every email that waits for a send, by its job state', () => {
  const prefix = `mrtest-sweep-${randomBytes(4).toString('hex')}`;
  const redis = createRedisConnection(REDIS_URL);
  const queue = createSendQueue(redis, prefix);
  const store = new SqliteStore({ filename: ':memory:' });
  const deps: SweepDeps = {
    store,
    queue,
    lanes: new TenantLanes(redis, { prefix, maxInFlight: 10 }),
    logger: pino({ level: 'silent' }),
    policy: { attempts: 3, retryBaseMs: 10 },
    now: () => new Date(T0 + 3_600_000),
  };
  const sweep = () =>
    requeueStuckEmails(deps, new Date(T0 + 600_000), { testEmailsOverBefore: new Date(T0 + 600_000), laneGraceMs: 60_000 });
  const state = async (id: string) => (await inspectSendJob(queue, id)).state;

  beforeAll(async () => {
    await store.init();
    const emails = [
      email('em_queued_lost'),
      email('em_sending_lost', { recipientStatus: 'sending' }),
      email('em_deferred_due', { recipientStatus: 'deferred', nextAttemptAt: at(60) }),
      email('em_deferred_later', { recipientStatus: 'deferred', nextAttemptAt: at(7200) }),
      email('em_waiting'),
      email('em_job_failed'),
      email('em_job_completed', { recipientStatus: 'sending' }),
      email('em_test_orphan', { recipientStatus: 'sending', test: true }),
      // Accepted by the provider, then deferred by it: the provider retries, not us.
      email('em_provider_deferred', { recipientStatus: 'deferred', messageId: '<m@x>' }),
      email('em_sent', { recipientStatus: 'accepted' }),
    ];
    for (const e of emails) await store.emails.create({ email: e, content: { text: 'x', attachments: [] } });

    // Jobs in the states a crash or an outage leaves behind: run by a throwaway worker, then stopped.
    const connection = createRedisConnection(REDIS_URL);
    const finished = new Set<string>();
    const worker = new Worker<SendJobData>(
      SEND_QUEUE,
      async (job) => {
        finished.add(job.id!);
        if (job.id === 'em_job_failed') throw new UnrecoverableError('ECONNREFUSED: the store did not answer');
      },
      { connection, prefix },
    );
    for (const id of ['em_job_failed', 'em_job_completed'])
      await queue.add('send', { tenantId: 'sweep', emailId: id }, { jobId: id, removeOnComplete: false, removeOnFail: false });
    for (let i = 0; i < 200 && finished.size < 2; i++) await new Promise((r) => setTimeout(r, 25));
    await worker.close();
    connection.disconnect();
    await queue.add('send', { tenantId: 'sweep', emailId: 'em_waiting' }, { jobId: 'em_waiting' });
  });

  afterAll(async () => {
    await queue.obliterate({ force: true });
    await queue.close();
    await deleteLanes(redis, prefix);
    redis.disconnect();
    await store.close();
  });

  it('re-adds lost jobs, replaces a completed one, fails what BullMQ gave up on, and leaves live jobs alone', async () => {
    expect(await state('em_job_failed')).toBe('failed');
    expect(await state('em_job_completed')).toBe('completed');

    const report = await sweep();
    expect(report.readded.sort()).toEqual(['em_deferred_due', 'em_job_completed', 'em_queued_lost', 'em_sending_lost']);
    expect(report.gaveUp.sort()).toEqual(['em_job_failed', 'em_test_orphan']);
    expect(report.left).toBe(1);

    for (const id of report.readded) expect(await state(id)).toBe('waiting');
    expect(await state('em_waiting')).toBe('waiting');
    expect(await state('em_deferred_later')).toBe('unknown');
    expect(await state('em_provider_deferred')).toBe('unknown');

    const failed = await store.emails.get('sweep', 'em_job_failed');
    expect(failed).toMatchObject({
      status: 'failed',
      recipients: [{ status: 'failed', reason: 'ECONNREFUSED: the store did not answer' }],
    });
    expect(failed!.events.at(-1)).toMatchObject({
      type: 'failed',
      source: 'worker',
      reason: 'EJOB: ECONNREFUSED: the store did not answer',
    });
    expect(await store.emails.get('sweep', 'em_test_orphan')).toMatchObject({
      status: 'failed',
      recipients: [{ reason: expect.stringMatching(/test request ended/) }],
    });
  });

  it('is idempotent: a second sweep finds the re-added jobs live and adds nothing twice', async () => {
    const before = await queue.getJobCounts('waiting');
    const report = await sweep();
    expect(report.readded).toEqual([]);
    expect(report.gaveUp).toEqual([]);
    expect(report.left).toBe(5);
    expect(await queue.getJobCounts('waiting')).toEqual(before);
  });
});

/**
 * The sweep and the tenant lanes (decision 0026), K = 2, against the real Redis and SQLite, in the
 * states a crash leaves: an id admitted whose job was never added (the API died between the two), an
 * admitted id whose job BullMQ failed without the worker's release (failed for stalling raises no
 * event), and emails waiting in the backlog, which have no job by design.
 */
describe('the sweep through the tenant lanes', () => {
  const prefix = `mrtest-sweep-lanes-${randomBytes(4).toString('hex')}`;
  const redis = createRedisConnection(REDIS_URL);
  const queue = createSendQueue(redis, prefix);
  const store = new SqliteStore({ filename: ':memory:' });
  const lanes = new TenantLanes(redis, { prefix, maxInFlight: 2 });
  const policy = { attempts: 3, retryBaseMs: 10 };
  const deps: SweepDeps = { store, queue, lanes, logger: pino({ level: 'silent' }), policy, now: () => new Date(T0 + 3_600_000) };
  const sweep = (laneGraceMs: number) =>
    requeueStuckEmails(deps, new Date(T0 + 600_000), { testEmailsOverBefore: new Date(T0 + 600_000), laneGraceMs });
  const state = async (id: string) => (await inspectSendJob(queue, id)).state;
  const ids = ['em_lost_add', 'em_failed_unreleased', 'em_backlog_1', 'em_backlog_2'];

  beforeAll(async () => {
    await store.init();
    for (const id of ids) await store.emails.create({ email: email(id, { tenantId: 'lane' }), content: { text: 'x', attachments: [] } });
    // em_failed_unreleased: admitted, its job added and failed for good by a worker that never released the slot.
    await lanes.admitAndEnqueue(queue, 'lane', ['em_failed_unreleased'], sendJobOptionsFor({ attempts: 1, retryBaseMs: 10 }));
    const connection = createRedisConnection(REDIS_URL);
    const worker = new Worker<SendJobData>(
      SEND_QUEUE,
      async () => {
        throw new UnrecoverableError('job stalled more than allowable limit');
      },
      { connection, prefix },
    );
    for (let i = 0; i < 200 && (await state('em_failed_unreleased')) !== 'failed'; i++) await new Promise((r) => setTimeout(r, 25));
    await worker.close();
    connection.disconnect();
    // em_lost_add: admitted, and the process died before adding its job; the other two wait for a slot.
    expect(await lanes.admit('lane', ['em_lost_add', 'em_backlog_1', 'em_backlog_2'])).toEqual({
      admitted: ['em_lost_add'],
      backlogged: ['em_backlog_1', 'em_backlog_2'],
    });
  });

  afterAll(async () => {
    await queue.obliterate({ force: true });
    await queue.close();
    await deleteLanes(redis, prefix);
    redis.disconnect();
    await store.close();
  });

  it('leaves a young admission alone, and never adds a job for an email waiting in the backlog', async () => {
    const report = await sweep(60_000);
    expect(report.lanes).toEqual({ readded: [], released: [], promoted: [] });
    // Its record is overdue, though: its job is added again in the slot it holds.
    expect(report.readded).toEqual(['em_lost_add']);
    expect(report.gaveUp).toEqual(['em_failed_unreleased']);
    expect(report.left).toBe(2);
    expect(await state('em_lost_add')).toBe('waiting');
    expect(await state('em_backlog_1')).toBe('unknown');
    expect(await state('em_backlog_2')).toBe('unknown');
    expect(await lanes.stats()).toEqual({ tenants: 1, admitted: 2, backlog: 2, tenantsWithBacklog: 1 });
  });

  it('releases the slot of a job that failed unreleased, gives it to the oldest waiting email, and keeps the cap', async () => {
    await queue.remove('em_lost_add'); // lost again: reconcile re-adds it this time
    const report = await sweep(0);
    expect(report.lanes).toEqual({ readded: ['em_lost_add'], released: ['em_failed_unreleased'], promoted: ['em_backlog_1'] });
    expect(await state('em_lost_add')).toBe('waiting');
    expect(await state('em_backlog_1')).toBe('waiting');
    expect(await state('em_backlog_2')).toBe('unknown');
    expect(await lanes.backlogIds('lane')).toEqual(['em_backlog_2']);
    expect(await lanes.admittedCount('lane')).toBe(2);
    expect(report.readded).toEqual([]);
    expect(report.left).toBe(3);
  });
});
