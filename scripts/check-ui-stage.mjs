// Builds the admin screens the way the Dockerfile's `ui` stage does, without Docker: in a temporary
// directory holding only what that stage has (the `deps` stage's files, every package.json, the
// installed node_modules, and the sources the `ui` stage COPYs, less what .dockerignore keeps out),
// then `node scripts/build-admin-ui.mjs` there. A UI import of a package the stage does not copy
// fails here as it fails `docker build`. The COPY lines are read from the Dockerfile, so a change to
// them is what is checked. Run: node scripts/check-ui-stage.mjs [Dockerfile] (e2e/docker-ui-stage.test.ts does).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { contextCopies, copyFromContext, dockerignore, rebuildDepsStage, ROOT, stageInstructions } from './docker-stage-context.mjs';

export function checkUiStage(dockerfilePath = path.join(ROOT, 'Dockerfile')) {
  const dockerfile = fs.readFileSync(dockerfilePath, 'utf8');
  const ui = stageInstructions(dockerfile, 'ui');
  if (ui.from !== 'deps') throw new Error(`Dockerfile: the ui stage now starts FROM ${ui.from}; teach scripts/check-ui-stage.mjs`);
  const ignored = dockerignore();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mailroom-ui-stage-'));
  try {
    rebuildDepsStage(dockerfile, dir, ignored);
    // ui: its own COPYs, then its RUN.
    for (const [sources, dest] of contextCopies(ui.body)) for (const src of sources) copyFromContext(src, path.join(dir, dest), ignored);
    const run = ui.body.filter((l) => /^RUN\s/i.test(l)).map((l) => l.replace(/^RUN\s+/i, ''));
    if (run.join() !== 'node scripts/build-admin-ui.mjs')
      throw new Error(`Dockerfile: the ui stage now runs ${run.join(' && ')}; teach scripts/check-ui-stage.mjs`);
    const r = spawnSync(process.execPath, ['scripts/build-admin-ui.mjs'], { cwd: dir, encoding: 'utf8' });
    return { ok: r.status === 0 && fs.existsSync(path.join(dir, 'apps/admin-ui/dist/index.html')), output: `${r.stdout}${r.stderr}` };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { ok, output } = checkUiStage(process.argv[2] && path.resolve(process.argv[2]));
  process.stdout.write(output);
  console.log(
    ok
      ? 'ui stage: the admin screens build with what the Dockerfile copies'
      : 'ui stage: the build FAILS with what the Dockerfile copies (see above)',
  );
  process.exit(ok ? 0 : 1);
}
