import type { Queue } from 'bullmq';
import type { SendJobData } from '../send-queue';
import type { JobOptionsFor } from './tenant-lanes';

/**
 * Adding a promoted email's send job inside the lanes' own script, so that releasing a slot and
 * adding the job that takes it are one round trip and one atomic step (decision 0026, "One round trip
 * per release"). The Lua below writes exactly what BullMQ 6's `addStandardJob` writes for a plain job
 * (custom id, no parent, no delay, no priority, no deduplication, FIFO): the job hash, the `added` and
 * `waiting` events, the id at the head of the wait list and the marker that wakes blocked workers.
 * `send-job-lua.test.ts` compares it field by field with a job BullMQ adds itself, so a BullMQ upgrade
 * that changes the format fails there, not in production.
 *
 * Keys, after the lanes' four: KEYS[5] wait, KEYS[6] meta, KEYS[7] id, KEYS[8] events, KEYS[9] marker,
 * KEYS[10] active. Arguments of `addSendJob`: the job key prefix (`<prefix>:send:`), the job name, the
 * options' JSON without `jobId` (added per id), the tenant id and the timestamp (ms).
 */
export const ADD_SEND_JOB_LUA = `
local function addSendJob(jobPrefix, name, optsTemplate, tenantId, timestamp, id)
  redis.call('INCR', KEYS[7])
  local maxEvents = redis.call('HGET', KEYS[6], 'opts.maxLenEvents')
  if not maxEvents then
    maxEvents = 10000
    redis.call('HSET', KEYS[6], 'opts.maxLenEvents', maxEvents)
  end
  local jobKey = jobPrefix .. id
  if redis.call('EXISTS', jobKey) == 1 then
    redis.call('XADD', KEYS[8], 'MAXLEN', '~', maxEvents, '*', 'event', 'duplicated', 'jobId', id)
    return
  end
  local opts = cjson.decode(optsTemplate)
  opts['jobId'] = id
  redis.call('HMSET', jobKey, 'name', name, 'data', cjson.encode({ tenantId = tenantId, emailId = id }),
    'opts', cjson.encode(opts), 'timestamp', timestamp, 'delay', 0, 'priority', 0)
  redis.call('XADD', KEYS[8], '*', 'event', 'added', 'jobId', id, 'name', name)
  local meta = redis.call('HMGET', KEYS[6], 'paused', 'concurrency')
  local pausedOrMaxed = meta[1] ~= false or (meta[2] ~= false and redis.call('LLEN', KEYS[10]) >= tonumber(meta[2]))
  redis.call('LPUSH', KEYS[5], id)
  if not pausedOrMaxed then redis.call('ZADD', KEYS[9], 0, '0') end
  redis.call('XADD', KEYS[8], 'MAXLEN', '~', maxEvents, '*', 'event', 'waiting', 'jobId', id)
end
`;

/** What the scripts need to add a queue's send jobs themselves: its keys and the options' template. */
export interface SendJobTemplate {
  /** KEYS[5..10] as listed above. */
  keys: string[];
  jobPrefix: string;
  name: string;
  optsTemplate: string;
}

/** The options a template may carry: the rest make BullMQ take another path or store them renamed. */
const PLAIN_OPTIONS = new Set(['attempts', 'backoff', 'removeOnComplete', 'removeOnFail']);

/**
 * The template for `queue`'s send jobs, or undefined when the options are not a plain job's whose
 * only per-email difference is `jobId`, or use a key BullMQ would store under another name: then the
 * caller adds the jobs through BullMQ (one more round trip), as before.
 */
export function sendJobTemplate(queue: Queue<SendJobData>, name: string, jobOptionsFor: JobOptionsFor): SendJobTemplate | undefined {
  const withoutId = (id: string) => {
    const { jobId, ...rest } = jobOptionsFor(id);
    return jobId === id ? rest : undefined;
  };
  const a = withoutId('a');
  const b = withoutId('b');
  if (!a || !b || JSON.stringify(a) !== JSON.stringify(b)) return undefined;
  // Only options that keep a job plain and that BullMQ stores under their own names (not delay,
  // priority, lifo, parent, deduplication..., nor keepLogs -> kl and the like).
  if (Object.keys(a).some((k) => !PLAIN_OPTIONS.has(k))) return undefined;
  const k = queue.keys;
  return { keys: [k.wait, k.meta, k.id, k.events, k.marker, k.active], jobPrefix: k[''], name, optsTemplate: JSON.stringify(a) };
}
