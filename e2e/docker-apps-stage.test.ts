import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * The Dockerfile's `apps` stage compiles the three apps (decision 0074) with only what it COPYs, and the
 * runtime stage takes each compiled folder from it. No Docker engine runs here: scripts/check-apps-stage.mjs
 * rebuilds that stage's files in a temporary directory and reads the runtime stage's COPY lines.
 */
const ROOT = path.resolve(__dirname, '..');
const check = (dockerfile: string) =>
  spawnSync(process.execPath, ['scripts/check-apps-stage.mjs', dockerfile], { cwd: ROOT, encoding: 'utf8' });

/** The check on a copy of the Dockerfile changed by `edit`. */
function checkEdited(edit: (dockerfile: string) => string) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mailroom-dockerfile-'));
  try {
    const original = fs.readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');
    const edited = edit(original);
    expect(edited).not.toBe(original);
    fs.writeFileSync(path.join(dir, 'Dockerfile'), edited);
    return check(path.join(dir, 'Dockerfile'));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe("the Dockerfile's apps stage", () => {
  jest.setTimeout(60_000);

  it('compiles every app with what it copies, and the runtime stage takes each one', () => {
    const r = check('Dockerfile');
    expect(r.stdout + r.stderr).toMatch(/apps stage: every app compiles with what the Dockerfile copies/);
    expect(r.status).toBe(0);
  });

  it('fails the check when the runtime stage leaves a compiled app behind', () => {
    const r = checkEdited((d) => d.replace(/^COPY --from=apps \/app\/apps\/worker\/dist .*\n/m, ''));
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('the runtime stage does not copy apps/worker/dist from the apps stage');
  });

  it('fails the check when the stage copies too little to compile (the check can see it)', () => {
    const r = checkEdited((d) => d.replace(/(FROM deps AS apps\n)COPY \. \.\n/, '$1COPY apps ./apps\n'));
    expect(r.status).toBe(1);
    expect(r.stdout).toContain("node scripts/build-apps.mjs failed in the stage's files");
  });
});
