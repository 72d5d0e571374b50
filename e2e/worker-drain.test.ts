import type { ChildProcess } from 'node:child_process';
import type { RunningSmtpSink } from '@mailroom/testkit';
import { Mailroom, startMailroom, waitFor } from './support/mailroom-harness';
import { spawnWorkerProcess } from './support/worker-process';
import { tenantOnSmtpSink } from './support/smtp-tenant';

const EMAILS = 40;

/**
 * SIGTERM drains: the worker finishes the jobs in hand and exits 0, leaving no email half-sent, so a
 * graceful restart delivers nothing twice (unlike SIGKILL, see worker-crash.test.ts).
 */
describe('a worker stopped with SIGTERM mid-batch', () => {
  let m: Mailroom;
  let s: RunningSmtpSink;
  let child: ChildProcess | undefined;
  beforeAll(async () => {
    m = await startMailroom({ WORKER_CONCURRENCY: '4' }, { worker: false });
    s = await tenantOnSmtpSink(m, 'drain');
  });
  afterAll(async () => {
    child?.kill('SIGKILL');
    await m.stop();
    await s.close();
  });

  it('exits 0 with nothing half-sent, and the restart delivers each email exactly once', async () => {
    for (let i = 0; i < EMAILS; i++)
      await m.call('POST', '/v1/tenants/drain/emails', { to: [`c${i}@x.example`], subject: `Invoice ${i}`, text: 'x'.repeat(20_000) });
    child = spawnWorkerProcess(m);
    await waitFor(async () => s.messages.length >= 5, 'the child worker to deliver some emails', 30000, 5);
    child.kill('SIGTERM');
    const code = await new Promise<number | null>((r) => child!.once('exit', (c) => r(c)));
    expect(code).toBe(0);
    const afterStop = (await m.call('GET', '/v1/tenants/drain/emails?limit=200')).body.items;
    expect(afterStop.filter((e: any) => e.status === 'sending')).toHaveLength(0);
    expect(afterStop.filter((e: any) => e.status === 'accepted').length).toBe(s.messages.length);

    await m.startWorker();
    await waitFor(
      async () => {
        const r = await m.call('GET', '/v1/tenants/drain/emails?limit=200');
        return r.body.items.every((e: any) => e.status === 'accepted');
      },
      'every email accepted',
      30000,
      100,
    );
    const ids = s.messages.map((msg) => msg.parsed.messageId);
    expect(ids).toHaveLength(EMAILS);
    expect(new Set(ids).size).toBe(EMAILS);
  }, 60000);
});
