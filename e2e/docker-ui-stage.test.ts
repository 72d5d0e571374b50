import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * The Dockerfile's `ui` stage builds the admin screens with only what it COPYs; a UI import of a
 * workspace package it does not copy broke `docker build` once (packages/transports' SMTP presets).
 * scripts/check-ui-stage.mjs rebuilds that stage's files in a temporary directory, without Docker.
 */
const ROOT = path.resolve(__dirname, '..');
const check = (dockerfile: string) =>
  spawnSync(process.execPath, ['scripts/check-ui-stage.mjs', dockerfile], { cwd: ROOT, encoding: 'utf8' });

describe("the Dockerfile's ui stage", () => {
  it('builds the admin screens with what it copies', () => {
    const r = check('Dockerfile');
    expect(r.stdout + r.stderr).toMatch(/ui stage: the admin screens build/);
    expect(r.status).toBe(0);
  });

  it('fails the check when a package the UI imports is not copied (the check can see it)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mailroom-dockerfile-'));
    try {
      const without = fs.readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8').replace(/^COPY packages\/transports .*\n/m, '');
      fs.writeFileSync(path.join(dir, 'Dockerfile'), without);
      const r = check(path.join(dir, 'Dockerfile'));
      expect(r.status).toBe(1);
      expect(r.stdout + r.stderr).toMatch(/failed to resolve import "@mailroom\/transports\/src\/smtp\/smtp-presets"/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
