// Builds the admin screens the way the Dockerfile's `ui` stage does, without Docker: in a temporary
// directory holding only what that stage has (the `deps` stage's files, every package.json, the
// installed node_modules, and the sources the `ui` stage COPYs, less what .dockerignore keeps out),
// then `node scripts/build-admin-ui.mjs` there. A UI import of a package the stage does not copy
// fails here as it fails `docker build`. The COPY lines are read from the Dockerfile, so a change to
// them is what is checked. Run: node scripts/check-ui-stage.mjs [Dockerfile] (e2e/docker-ui-stage.test.ts does).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ROOT, reportCheck, withStageFiles } from './docker-stage-context.mjs';

export function checkUiStage(dockerfilePath = path.join(ROOT, 'Dockerfile')) {
  const dockerfile = fs.readFileSync(dockerfilePath, 'utf8');
  return withStageFiles(dockerfile, 'ui', { run: 'node scripts/build-admin-ui.mjs', checker: 'check-ui-stage.mjs' }, (dir) => {
    const r = spawnSync(process.execPath, ['scripts/build-admin-ui.mjs'], { cwd: dir, encoding: 'utf8' });
    return { ok: r.status === 0 && fs.existsSync(path.join(dir, 'apps/admin-ui/dist/index.html')), output: `${r.stdout}${r.stderr}` };
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url))
  reportCheck(
    checkUiStage(process.argv[2] && path.resolve(process.argv[2])),
    'ui stage: the admin screens build with what the Dockerfile copies',
    'ui stage: the build FAILS with what the Dockerfile copies (see above)',
  );
