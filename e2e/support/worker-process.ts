import { ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { RunningSmtpSink, startSmtpSink } from '@mailroom/testkit';
import type { Mailroom } from './mailroom-harness';

const ROOT = path.resolve(__dirname, '../..');

/**
 * A worker as its own OS process, on the harness's Redis prefix and SQLite file. node runs the tsx
 * loader itself (not the tsx CLI), so a signal reaches the process that runs the worker.
 */
export function spawnWorkerProcess(m: Mailroom): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'apps', 'worker', 'src', 'main.ts')], {
    cwd: ROOT,
    env: { ...process.env, ...m.env, WORKER_PORT: '0', LOG_LEVEL: 'silent' },
    stdio: 'ignore',
  });
}

/** A tenant on the premium plan sending through a fresh STARTTLS + AUTH sink. */
export async function tenantOnSmtpSink(m: Mailroom, tenant: string): Promise<RunningSmtpSink> {
  const user = `u@${tenant}.example`;
  const password = `pw-${tenant}-test`;
  const sink = await startSmtpSink({ tls: 'starttls', auth: { users: { [user]: password } } });
  await m.call('PUT', `/v1/tenants/${tenant}`, { name: tenant, plan: 'premium' });
  await m.call('PUT', `/v1/tenants/${tenant}/email-settings`, {
    mode: 'smtp',
    senderName: tenant,
    smtp: { preset: 'other', fromAddress: user, username: user, password, host: '127.0.0.1', port: sink.port, tls: false },
  });
  return sink;
}
