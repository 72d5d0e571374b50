import { randomUUID } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { describeStoreContract } from '../../test/contract/store.contract';
import { makeContent, makeEmail, uniqueTenantId } from '../../test/contract/contract-fixtures';
import { MongoStore } from './mongo-store';
import { EMAIL_INDEXES } from './mongo-indexes';

/**
 * Runs only where a real MongoDB is reachable (MONGODB_URL, e.g. docker-compose's). Every run works
 * in its own database and drops it at the end. MongoDB is never mocked.
 */
const url = process.env.MONGODB_URL;
const run = url ? describe : describe.skip;

run('MongoStore', () => {
  const dbName = `mailroom_store_test_${Date.now().toString(36)}_${randomUUID().slice(0, 8)}`;
  const makeStore = async () => new MongoStore({ url: url!, dbName });

  afterAll(async () => {
    const client = new MongoClient(url!);
    try {
      await client.db(dbName).dropDatabase();
    } finally {
      await client.close();
    }
  });

  describeStoreContract('mongo', makeStore);

  describe('documents and indexes', () => {
    let store: MongoStore;
    let client: MongoClient;

    beforeAll(async () => {
      store = await makeStore();
      await store.init();
      client = new MongoClient(url!);
      await client.connect();
    });

    afterAll(async () => {
      await store.close();
      await client.close();
    });

    it('creates every index, the idempotency one unique and partial', async () => {
      const indexes = await client.db(dbName).collection('emails').indexes();
      const byName = new Map(indexes.map((i) => [i.name, i]));
      for (const spec of EMAIL_INDEXES) expect(byName.get(spec.name!)?.key).toEqual(spec.key);
      expect(byName.get('tenant_idempotency_key')).toMatchObject({
        unique: true,
        partialFilterExpression: { idempotencyKey: { $type: 'string' } },
      });
    });

    it('stores the record under _id with a revision, and attachments as BSON binary', async () => {
      const tenantId = uniqueTenantId('docs');
      const email = makeEmail(tenantId, `${tenantId}-e1`);
      await store.emails.create({ email, content: makeContent() });
      await store.emails.update(tenantId, email.id, (e) => ({ ...e, subject: 'changed' }));

      const raw = await client.db(dbName).collection<{ _id: string }>('emails').findOne({ _id: email.id });
      expect(raw).toMatchObject({ _id: email.id, rev: 1, tenantId, subject: 'changed', recipientAddresses: ['buyer@example.com'] });
      expect(raw).not.toHaveProperty('id');
      const read = await store.emails.get(tenantId, email.id);
      expect(read).not.toHaveProperty('_id');
      expect(read).not.toHaveProperty('rev');
      expect(read).not.toHaveProperty('recipientAddresses');

      const content = await client
        .db(dbName)
        .collection<{ _id: string; attachments: { content: { _bsontype: string } }[] }>('email_contents')
        .findOne({ _id: email.id });
      expect(content!.attachments[0].content._bsontype).toBe('Binary');
    });
  });
});
