/**
 * The status ladder (design brief): queued -> sending -> accepted -> delivered -> opened, with
 * deferred, bounced, dropped, complained and failed off the ladder, and two ends decided before any
 * server is contacted: suppressed (the address is on the tenant's suppression list) and canceled (the
 * platform stopped the email). Events arrive late, twice and out of order, so a status only ever
 * moves forward by rank.
 */
export const RECIPIENT_STATUSES = [
  'queued',
  'sending',
  'accepted',
  'deferred',
  'delivered',
  'opened',
  'bounced',
  'dropped',
  'complained',
  'failed',
  'suppressed',
  'canceled',
] as const;
export type RecipientStatus = (typeof RECIPIENT_STATUSES)[number];
export type EmailStatus = RecipientStatus;

/**
 * Rank decides what may follow what. accepted and deferred share a rank: a provider can defer after
 * accepting, and our own retry can be followed by an acceptance. failed/dropped sit below delivered so
 * that a provider's late "delivered" still tells the truth; bounced sits above delivered because bounces
 * can arrive after a delivery report; a complaint is the last word. canceled shares accepted's rank: a
 * send already on the wire when the cancel landed may still report its acceptance, and the history
 * then says so. suppressed sits above accepted, so a send of the other recipients never marks it.
 */
const RANK: Record<RecipientStatus, number> = {
  queued: 0,
  sending: 1,
  accepted: 2,
  deferred: 2,
  canceled: 2,
  failed: 3,
  dropped: 3,
  suppressed: 3,
  delivered: 4,
  bounced: 5,
  opened: 6,
  complained: 7,
};

/**
 * Statuses after which no send of ours is pending: the transport took the email, we gave up, or we
 * decided not to send (suppressed, canceled). Only a manual retry of a failed email could need its
 * content again, so the content is deleted CONTENT_RETENTION_SECONDS after the email reaches one of
 * these (decision 0016). `accepted` is here because SMTP and platform mode never report past it.
 */
export const FINAL_STATUSES: ReadonlySet<EmailStatus> = new Set([
  'accepted',
  'delivered',
  'opened',
  'bounced',
  'dropped',
  'complained',
  'failed',
  'suppressed',
  'canceled',
] as const);

/** Statuses that stop a recipient before it is accepted: only a recipient not yet accepted can reach them. */
const BEFORE_ACCEPTANCE: ReadonlySet<RecipientStatus> = new Set(['queued', 'sending', 'deferred']);

export const PROBLEM_STATUSES: ReadonlySet<RecipientStatus> = new Set([
  'bounced',
  'dropped',
  'complained',
  'failed',
  'suppressed',
  'canceled',
]);

/**
 * Which problem an email shows when every recipient has one: the most telling first. A server's
 * verdict (complaint, bounce, failure) outranks our own decision not to send (suppressed, canceled).
 */
const SEVERITY: Partial<Record<RecipientStatus, number>> = {
  complained: 6,
  bounced: 5,
  failed: 4,
  dropped: 3,
  suppressed: 2,
  canceled: 1,
};

export function statusRank(s: RecipientStatus): number {
  return RANK[s];
}

/** Whether a recipient may move from `from` to `to`. Same status is not a move. */
export function canMove(from: RecipientStatus, to: RecipientStatus): boolean {
  if (from === to) return false;
  if (from === 'bounced' && to === 'opened') return false;
  if ((to === 'suppressed' || to === 'canceled') && !BEFORE_ACCEPTANCE.has(from)) return false;
  return RANK[to] >= RANK[from];
}

/**
 * The email's own status summarises its recipients: the least advanced among those still on the
 * ladder; when every recipient is off it (bounced, failed, suppressed...), the most severe of those.
 * So an email whose every recipient is suppressed is `suppressed`, and one with a suppressed and an
 * accepted recipient is `accepted`.
 */
export function summariseStatus(statuses: RecipientStatus[]): EmailStatus {
  if (statuses.length === 0) return 'queued';
  const healthy = statuses.filter((s) => !PROBLEM_STATUSES.has(s));
  // Deferred shares accepted's rank but is not done: an email with a recipient still waiting for a send
  // is `deferred` (not final), whatever order its recipients come in.
  if (healthy.length > 0) return healthy.reduce((a, b) => (RANK[b] < RANK[a] || (RANK[b] === RANK[a] && b === 'deferred') ? b : a));
  return statuses.reduce((a, b) => ((SEVERITY[b] ?? 0) > (SEVERITY[a] ?? 0) ? b : a));
}
