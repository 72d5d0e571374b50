import type { Queue } from 'bullmq';
import { awaitsSend, giveUp } from '@mailroom/domain';
import { inspectSendJob, readdSendJob, SendJobData, SendPolicy } from '@mailroom/queue';
import type { Store } from '@mailroom/store';
import type { Logger } from 'pino';
import { decideRepair } from './sweep-decision';

export interface SweepDeps {
  store: Store;
  queue: Queue<SendJobData>;
  logger: Logger;
  policy: SendPolicy;
  now: () => Date;
}

export interface SweepReport {
  readded: string[];
  gaveUp: string[];
  left: number;
}

/**
 * The safety net under "no email stranded": every email still queued, sending or deferred whose due
 * time (last change, or next try) is older than `dueBefore` has its job checked, and is re-added or
 * marked failed (sweep-decision.ts). Safe in every worker at once: a re-add of a live job is ignored,
 * and giving up writes only over the very version of the record it judged.
 */
export async function requeueStuckEmails(
  deps: SweepDeps,
  dueBefore: Date,
  options: { testEmailsOverBefore: Date; limit?: number },
): Promise<SweepReport> {
  const report: SweepReport = { readded: [], gaveUp: [], left: 0 };
  const due = await deps.store.emails.listAwaitingSend(dueBefore.toISOString(), options.limit ?? 500);
  for (const { tenantId, id } of due) {
    try {
      await repairOne(deps, tenantId, id, options.testEmailsOverBefore.toISOString(), report);
    } catch (err) {
      deps.logger.error({ err, tenantId, emailId: id }, 'sweep: could not check this email; next sweep');
    }
  }
  if (report.readded.length + report.gaveUp.length > 0)
    deps.logger.warn({ readded: report.readded.length, gaveUp: report.gaveUp.length, left: report.left }, 'sweep repaired emails');
  return report;
}

async function repairOne(deps: SweepDeps, tenantId: string, id: string, testEmailsOverBefore: string, report: SweepReport): Promise<void> {
  const email = await deps.store.emails.get(tenantId, id);
  if (!email || !awaitsSend(email)) return;
  const repair = decideRepair(email, await inspectSendJob(deps.queue, id), { testEmailsOverBefore });
  switch (repair.kind) {
    case 'leave':
      report.left += 1;
      return;
    case 'readd':
      await readdSendJob(deps.queue, { tenantId, emailId: id }, deps.policy);
      report.readded.push(id);
      return;
    case 'give_up': {
      const at = deps.now().toISOString();
      const updated = await deps.store.emails.update(tenantId, id, (e) =>
        e.updatedAt === email.updatedAt ? giveUp(e, { code: repair.code, reason: repair.reason }, at) : null,
      );
      if (updated?.status === 'failed') report.gaveUp.push(id);
      return;
    }
  }
}

/** Runs the sweep every `everyMs`, one at a time; returns a stop function. */
export function scheduleStuckSweep(run: () => Promise<unknown>, everyMs: number, logger: Logger): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    run()
      .catch((e) => logger.error({ err: e }, 'stuck-email sweep failed'))
      .finally(() => {
        running = false;
      });
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
