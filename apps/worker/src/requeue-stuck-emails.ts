import type { Queue } from 'bullmq';
import { awaitsSend, giveUp } from '@mailroom/domain';
import {
  inspectSendJob,
  LaneRepairs,
  readdSendJob,
  reconcileLanes,
  SendJobData,
  sendJobOptionsFor,
  SendPolicy,
  TenantLanes,
} from '@mailroom/queue';
import type { Store } from '@mailroom/store';
import type { Logger } from 'pino';
import { decideRepair } from './sweep-decision';

export interface SweepDeps {
  store: Store;
  queue: Queue<SendJobData>;
  /** The tenants' lanes into the queue (decision 0026): repaired first, and every re-add goes through them. */
  lanes: TenantLanes;
  logger: Logger;
  policy: SendPolicy;
  now: () => Date;
}

export interface SweepReport {
  readded: string[];
  gaveUp: string[];
  /** Emails whose job waits or runs, or that wait in their tenant's backlog: nothing to do. */
  left: number;
  /** What `reconcileLanes` repaired (undefined when it could not run this time). */
  lanes?: LaneRepairs;
}

/**
 * The safety net under "no email stranded". First the tenant lanes are repaired against BullMQ
 * (`reconcileLanes`: admitted ids without a job re-added, finished ones released, free slots filled
 * from the backlogs), for ids admitted more than `laneGraceMs` ago, so an enqueue in progress is left
 * alone. Then every email still queued, sending or deferred whose due time (last change, or next try)
 * is older than `dueBefore` has its job checked, and is re-added through its tenant's lane (an email
 * waiting in the backlog stays there) or marked failed (sweep-decision.ts). Safe in every worker at
 * once: every lane repair is idempotent, a re-add of a live job is ignored, and giving up writes only
 * over the very version of the record it judged.
 */
export async function requeueStuckEmails(
  deps: SweepDeps,
  dueBefore: Date,
  options: { testEmailsOverBefore: Date; laneGraceMs: number; limit?: number },
): Promise<SweepReport> {
  const report: SweepReport = { readded: [], gaveUp: [], left: 0 };
  try {
    // Admissions are dated with the wall clock (Date.now) of the process that admitted them, not with deps.now.
    report.lanes = await reconcileLanes(deps.lanes, deps.queue, sendJobOptionsFor(deps.policy), { graceMs: options.laneGraceMs });
  } catch (err) {
    deps.logger.error({ err }, 'sweep: could not repair the tenant lanes; next sweep');
  }
  const due = await deps.store.emails.listAwaitingSend(dueBefore.toISOString(), options.limit ?? 500);
  for (const { tenantId, id } of due) {
    try {
      await repairOne(deps, tenantId, id, options.testEmailsOverBefore.toISOString(), report);
    } catch (err) {
      deps.logger.error({ err, tenantId, emailId: id }, 'sweep: could not check this email; next sweep');
    }
  }
  const lanes = report.lanes;
  const laneRepairs = lanes ? lanes.readded.length + lanes.released.length + lanes.promoted.length : 0;
  if (report.readded.length + report.gaveUp.length + laneRepairs > 0)
    deps.logger.warn(
      {
        readded: report.readded.length,
        gaveUp: report.gaveUp.length,
        left: report.left,
        ...(lanes && {
          laneJobsReadded: lanes.readded.length,
          laneSlotsReleased: lanes.released.length,
          lanePromoted: lanes.promoted.length,
        }),
      },
      'sweep repaired emails',
    );
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
      // An email waiting in its tenant's backlog has no job yet, by design: it keeps its place.
      if ((await readdSendJob(deps.queue, deps.lanes, { tenantId, emailId: id }, sendJobOptionsFor(deps.policy))) === 'backlogged')
        report.left += 1;
      else report.readded.push(id);
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
