// Compiles the apps the way the Dockerfile's `apps` stage does, without Docker: in a temporary directory
// holding only what that stage has (the `deps` stage's files, then the build context as `COPY . .` takes
// it, less what .dockerignore keeps out), then `node scripts/build-apps.mjs` there. Then reads the
// runtime stage: each app's compiled folder must be copied from the `apps` stage, where every command
// looks for it. A source the image leaves out, or a compiled folder left behind, fails here as it
// would fail the image. Run: node scripts/check-apps-stage.mjs [Dockerfile] (e2e/docker-apps-stage.test.ts does).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { APP_ENTRIES } from './build-apps.mjs';
import { ROOT, stageInstructions, reportCheck, withStageFiles } from './docker-stage-context.mjs';

export function checkAppsStage(dockerfilePath = path.join(ROOT, 'Dockerfile')) {
  const dockerfile = fs.readFileSync(dockerfilePath, 'utf8');
  const problems = [];
  // The runtime stage takes each app's compiled folder from the apps stage.
  const copied = stageInstructions(dockerfile, 'runtime')
    .body.filter((l) => /^COPY\s+--from=apps\s/i.test(l))
    .map((l) => l.split(/\s+/).slice(2).join(' '));
  for (const app of Object.keys(APP_ENTRIES))
    if (!copied.includes(`/app/apps/${app}/dist ./apps/${app}/dist`))
      problems.push(`the runtime stage does not copy apps/${app}/dist from the apps stage`);
  const built = withStageFiles(dockerfile, 'apps', { run: 'node scripts/build-apps.mjs', checker: 'check-apps-stage.mjs' }, (dir) => {
    const r = spawnSync(process.execPath, ['scripts/build-apps.mjs'], { cwd: dir, encoding: 'utf8' });
    if (r.status !== 0) problems.push(`node scripts/build-apps.mjs failed in the stage's files`);
    else
      for (const [app, entries] of Object.entries(APP_ENTRIES))
        for (const entry of entries) {
          const file = path.join('apps', app, 'dist', `${path.basename(entry, '.ts')}.js`);
          if (!fs.existsSync(path.join(dir, file))) problems.push(`the build wrote no ${file}`);
        }
    return `${r.stdout}${r.stderr}`;
  });
  return { ok: problems.length === 0, output: `${built}${problems.map((p) => `${p}\n`).join('')}` };
}

if (process.argv[1] === fileURLToPath(import.meta.url))
  reportCheck(
    checkAppsStage(process.argv[2] && path.resolve(process.argv[2])),
    'apps stage: every app compiles with what the Dockerfile copies, and the runtime stage takes each one',
    'apps stage: FAILS (see above)',
  );
