import { awaitsSend, createdEmailCallbackEvents, EmailRecord } from '@mailroom/domain';
import type { ApiDeps } from '../api-deps';
import { addJobThenCommit } from './pending-enqueue';

/**
 * A new email is stored: add its job and commit (pending-enqueue.ts), unless nobody is left to send to
 * (every recipient suppressed at enqueue), then tell the platform what the enqueue decided (the
 * `email.suppressed` callbacks), only now that the email surely exists: a failed job add removes the
 * record and answers 503, and must not have told anybody.
 */
export async function startSending(deps: ApiDeps, email: EmailRecord, owner: string): Promise<EmailRecord> {
  const committed = awaitsSend(email) ? await addJobThenCommit(deps, email, owner) : email;
  await deps.callbacks?.publisher.publish(createdEmailCallbackEvents(committed));
  return committed;
}
