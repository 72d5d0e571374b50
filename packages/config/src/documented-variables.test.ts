import fs from 'node:fs';
import path from 'node:path';
import { envSchema } from './env-schema';

const ROOT = path.resolve(__dirname, '../../..');

/** Every variable the apps read is documented where operators look: .env.example and the README. */
describe('documented configuration', () => {
  const variables = Object.keys(envSchema.shape);
  it.each(['.env.example', 'README.md'])('%s names every variable', (file) => {
    const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
    const missing = variables.filter((v) => !new RegExp(`\\b${v}\\b`).test(text));
    expect(missing).toEqual([]);
  });
});
