import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createStore } from './create-store';
import { MongoStore, databaseNameOf } from './mongo/mongo-store';
import { SqliteStore } from './sqlite/sqlite-store';

describe('createStore', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'mailroom-create-store-'));
  const cwd = process.cwd();
  afterAll(() => {
    process.chdir(cwd);
    rmSync(dir, { recursive: true, force: true });
  });

  it('opens sqlite:PATH relative to the working directory, creating its directory', async () => {
    process.chdir(dir);
    const store = createStore('sqlite:data/sub/mailroom.db');
    process.chdir(cwd);
    expect(store).toBeInstanceOf(SqliteStore);
    expect(store.kind).toBe('sqlite');
    await store.init();
    await store.tenants.upsert({ id: 't1', name: 'Acme', plan: 'free' }, '2024-01-01T00:00:00.000Z');
    await store.close();
    expect(existsSync(path.join(dir, 'data', 'sub', 'mailroom.db'))).toBe(true);
  });

  it.each([
    ['a directory path that runs through a file', (d: string) => path.join(d, 'a-file', 'mailroom.db')],
    ['a path that is a directory', (d: string) => path.join(d, 'a-directory')],
  ])('names the file, STORE_URL and DATA_DIR when the SQLite file cannot be opened: %s', (_case, filenameIn) => {
    writeFileSync(path.join(dir, 'a-file'), 'not a directory');
    mkdirSync(path.join(dir, 'a-directory'), { recursive: true });
    const filename = filenameIn(dir);
    let message = '';
    try {
      createStore(`sqlite:${filename}`);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain(`Cannot open the SQLite store at ${filename} (STORE_URL, by default DATA_DIR/mailroom.db): `);
    expect(message).toContain('Check that DATA_DIR (or the directory in STORE_URL) is a directory this process');
  });

  it('accepts sqlite::memory:', async () => {
    const store = createStore('sqlite::memory:');
    await store.init();
    expect(await store.tenants.get('t1')).toBeNull();
    await store.close();
  });

  it.each(['mongodb://127.0.0.1:1/mailroom', 'mongodb+srv://cluster.example.net/mailroom'])(
    'picks MongoDB for %s without connecting',
    async (url) => {
      const store = createStore(url);
      expect(store).toBeInstanceOf(MongoStore);
      expect(store.kind).toBe('mongo');
      await store.close();
    },
  );

  it.each([
    ['postgres://admin:s3cret@db/mailroom', /STORE_URL.*"postgres:"/],
    ['./data/mailroom.db', /STORE_URL.*without a scheme/],
    ['sqlite:', /STORE_URL.*file path/],
  ])('refuses %s with an error naming STORE_URL', (url, message) => {
    expect(() => createStore(url)).toThrow(message);
  });

  it('never repeats the credentials of a bad URL', () => {
    expect(() => createStore('postgres://admin:s3cret@db/mailroom')).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('s3cret') }),
    );
  });

  it('reads the Mongo database from the URL path', () => {
    expect(databaseNameOf('mongodb://a:1,b:2/mail%5Froom?replicaSet=rs0')).toBe('mail_room');
    expect(databaseNameOf('mongodb+srv://u:p@cluster.example.net/')).toBeUndefined();
    expect(databaseNameOf('mongodb://localhost:27017')).toBeUndefined();
  });
});
