// Compiles the apps the way the Dockerfile's `apps` stage does, without Docker: in a temporary directory
// holding only what that stage has (the `deps` stage's files, then the build context as `COPY . .` takes
// it, less what .dockerignore keeps out), then `node scripts/build-apps.mjs` there. Then reads the
// runtime stage: each app's compiled folder must be copied from the `apps` stage, where every command
// looks for it. A source the image leaves out, or a compiled folder left behind, fails here as it
// would fail the image. Run: node scripts/check-apps-stage.mjs [Dockerfile] (e2e/docker-apps-stage.test.ts does).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { APP_ENTRIES } from './build-apps.mjs';
import { contextCopies, copyFromContext, dockerignore, rebuildDepsStage, ROOT, stageInstructions } from './docker-stage-context.mjs';

const teach = (what) => new Error(`Dockerfile: ${what}; teach scripts/check-apps-stage.mjs`);

export function checkAppsStage(dockerfilePath = path.join(ROOT, 'Dockerfile')) {
  const dockerfile = fs.readFileSync(dockerfilePath, 'utf8');
  const stage = stageInstructions(dockerfile, 'apps');
  if (stage.from !== 'deps') throw teach(`the apps stage now starts FROM ${stage.from}`);
  const run = stage.body.filter((l) => /^RUN\s/i.test(l)).map((l) => l.replace(/^RUN\s+/i, ''));
  if (run.join() !== 'node scripts/build-apps.mjs') throw teach(`the apps stage now runs ${run.join(' && ')}`);
  const problems = [];
  // The runtime stage takes each app's compiled folder from the apps stage.
  const copied = stageInstructions(dockerfile, 'runtime')
    .body.filter((l) => /^COPY\s+--from=apps\s/i.test(l))
    .map((l) => l.split(/\s+/).slice(2).join(' '));
  for (const app of Object.keys(APP_ENTRIES))
    if (!copied.includes(`/app/apps/${app}/dist ./apps/${app}/dist`))
      problems.push(`the runtime stage does not copy apps/${app}/dist from the apps stage`);
  const ignored = dockerignore();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mailroom-apps-stage-'));
  try {
    rebuildDepsStage(dockerfile, dir, ignored);
    for (const [sources, dest] of contextCopies(stage.body)) for (const src of sources) copyFromContext(src, path.join(dir, dest), ignored);
    const r = spawnSync(process.execPath, ['scripts/build-apps.mjs'], { cwd: dir, encoding: 'utf8' });
    if (r.status !== 0) problems.push(`node scripts/build-apps.mjs failed in the stage's files`);
    for (const [app, entries] of Object.entries(APP_ENTRIES))
      for (const entry of entries) {
        const file = path.join('apps', app, 'dist', `${path.basename(entry, '.ts')}.js`);
        if (r.status === 0 && !fs.existsSync(path.join(dir, file))) problems.push(`the build wrote no ${file}`);
      }
    return { ok: problems.length === 0, output: `${r.stdout}${r.stderr}${problems.map((p) => `${p}\n`).join('')}` };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { ok, output } = checkAppsStage(process.argv[2] && path.resolve(process.argv[2]));
  process.stdout.write(output);
  console.log(
    ok
      ? 'apps stage: every app compiles with what the Dockerfile copies, and the runtime stage takes each one'
      : 'apps stage: FAILS (see above)',
  );
  process.exit(ok ? 0 : 1);
}
