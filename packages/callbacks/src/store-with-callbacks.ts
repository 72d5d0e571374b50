import { EmailRecord, EmailSettings, emailCallbackEvents, settingsCallbackEvents } from '@mailroom/domain';
import type { EmailStore, Mutator, SettingsStore, Store } from '@mailroom/store';
import { CallbackPublisher, noCallbacks } from './callback-publisher';

/**
 * The store as the apps use it once callbacks are configured: every email update and every settings
 * update is followed by the callbacks it gives, `emailCallbackEvents(before, after)` and
 * `settingsCallbackEvents(before, after)`, where `before` is the record the update's mutator last saw
 * (the store may run it more than once; the last run is the one written). So every writer (the
 * worker's attempts, give-ups and the sweep, the webhook receivers, the pixel, the API's cancel and
 * retry) tells the platform without remembering to, and one that changed nothing tells nothing.
 * Publishing never throws (the publisher logs and counts what it could not queue). Decision 0033.
 *
 * Creating an email publishes nothing here: an enqueue tells the platform about recipients suppressed
 * at enqueue only once its job exists (apps/api start-sending.ts), so a 503 that removes the record
 * again has told nobody.
 */
export function storeWithCallbacks(store: Store, publisher: CallbackPublisher): Store {
  if (publisher === noCallbacks) return store;
  return {
    kind: store.kind,
    tenants: store.tenants,
    suppressions: store.suppressions,
    emails: emailsWithCallbacks(store.emails, publisher),
    settings: settingsWithCallbacks(store.settings, publisher),
    init: () => store.init(),
    close: () => store.close(),
  };
}

/** Runs the update, remembering what its mutator last saw. */
async function updateSeeingBefore<T>(
  update: (mutate: Mutator<T>) => Promise<T | null>,
  mutate: Mutator<T>,
): Promise<{ before?: T; after: T | null }> {
  let before: T | undefined;
  const after = await update((current) => {
    before = current;
    return mutate(current);
  });
  return { before, after };
}

function emailsWithCallbacks(emails: EmailStore, publisher: CallbackPublisher): EmailStore {
  return {
    create: (input) => emails.create(input),
    createMany: (inputs) => emails.createMany(inputs),
    get: (tenantId, id) => emails.get(tenantId, id),
    getContent: (tenantId, id) => emails.getContent(tenantId, id),
    async update(tenantId: string, id: string, mutate: Mutator<EmailRecord>) {
      const { before, after } = await updateSeeingBefore((m) => emails.update(tenantId, id, m), mutate);
      if (before && after && after !== before) await publisher.publish(emailCallbackEvents(before, after));
      return after;
    },
    remove: (tenantId, id) => emails.remove(tenantId, id),
    commitPendingEnqueue: (tenantId, id, owner) => emails.commitPendingEnqueue(tenantId, id, owner),
    commitPendingEnqueueMany: (tenantId, ids, owner) => emails.commitPendingEnqueueMany(tenantId, ids, owner),
    removePendingEnqueue: (tenantId, id, owner) => emails.removePendingEnqueue(tenantId, id, owner),
    list: (tenantId, query) => emails.list(tenantId, query),
    listAwaitingSend: (dueBefore, limit) => emails.listAwaitingSend(dueBefore, limit),
    listContentToPurge: (finalBefore, limit) => emails.listContentToPurge(finalBefore, limit),
    purgeContent: (refs, finalBefore, at) => emails.purgeContent(refs, finalBefore, at),
  };
}

function settingsWithCallbacks(settings: SettingsStore, publisher: CallbackPublisher): SettingsStore {
  return {
    get: (tenantId) => settings.get(tenantId),
    put: (s) => settings.put(s),
    async update(tenantId: string, mutate: Mutator<EmailSettings>) {
      const { before, after } = await updateSeeingBefore((m) => settings.update(tenantId, m), mutate);
      if (before && after && after !== before) await publisher.publish(settingsCallbackEvents(before, after));
      return after;
    },
    listTenantIds: (after, limit) => settings.listTenantIds(after, limit),
  };
}
