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

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The instructions of one stage (`FROM ... AS name`) of the Dockerfile, continuation lines joined. */
export function stageInstructions(dockerfile, stage) {
  const lines = dockerfile
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  const start = lines.findIndex((l) => new RegExp(`^FROM\\s+\\S+\\s+AS\\s+${stage}$`, 'i').test(l));
  if (start < 0) throw new Error(`Dockerfile: no stage named ${stage}`);
  const end = lines.findIndex((l, i) => i > start && /^FROM\s/i.test(l));
  return { from: lines[start].split(/\s+/)[1], body: lines.slice(start + 1, end < 0 ? undefined : end) };
}

/** `COPY src... dest` lines without --from: [sources, destination]. */
function contextCopies(body) {
  return body
    .filter((l) => /^COPY\s/i.test(l) && !/--from=/.test(l))
    .map((l) => {
      const args = l
        .split(/\s+/)
        .slice(1)
        .filter((a) => !a.startsWith('--'));
      return [args.slice(0, -1), args.at(-1)];
    });
}

/** One .dockerignore pattern (the `**`, `*` and `!` forms it uses) as a RegExp on context-relative paths. */
function globToRegExp(glob) {
  let re = glob
    .split('/')
    .map((part) => (part === '**' ? '(?:[^/]+/)*' : part.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*') + '/'))
    .join('');
  if (re.endsWith('/')) re = re.slice(0, -1);
  return new RegExp(`^${re}(?:/.*)?$`);
}

/** .dockerignore as a predicate: the last pattern that matches a path decides. */
function dockerignore() {
  const rules = fs
    .readFileSync(path.join(ROOT, '.dockerignore'), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => ({ negate: l.startsWith('!'), re: globToRegExp(l.replace(/^!/, '').replace(/\/$/, '')) }));
  return (rel) => rules.reduce((ignored, r) => (r.re.test(rel) ? !r.negate : ignored), false);
}

/** Copies a context path as COPY would: a directory's contents, less the ignored files. */
function copyFromContext(src, dest, ignored) {
  const from = path.join(ROOT, src);
  if (!fs.existsSync(from)) throw new Error(`Dockerfile COPY ${src}: not in the build context`);
  fs.cpSync(from, dest, {
    recursive: true,
    filter: (f) => {
      const rel = path.relative(ROOT, f);
      return rel === '' || !ignored(rel);
    },
  });
}

export function checkUiStage(dockerfilePath = path.join(ROOT, 'Dockerfile')) {
  const dockerfile = fs.readFileSync(dockerfilePath, 'utf8');
  const ui = stageInstructions(dockerfile, 'ui');
  if (ui.from !== 'deps') throw new Error(`Dockerfile: the ui stage now starts FROM ${ui.from}; teach scripts/check-ui-stage.mjs`);
  const deps = stageInstructions(dockerfile, 'deps');
  const ignored = dockerignore();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mailroom-ui-stage-'));
  try {
    // deps: its context COPYs, then every package.json (the manifests stage), then what the install
    // leaves: node_modules with pnpm's relative links (into .pnpm, and to the workspace's folders here).
    for (const [sources, dest] of contextCopies(deps.body))
      for (const src of sources)
        copyFromContext(src, path.join(dir, dest.endsWith('/') ? path.join(dest, path.basename(src)) : dest), ignored);
    for (const top of ['apps', 'packages'])
      for (const name of fs.readdirSync(path.join(ROOT, top))) {
        const manifest = path.join(top, name, 'package.json');
        if (!fs.existsSync(path.join(ROOT, manifest))) continue;
        fs.mkdirSync(path.join(dir, top, name), { recursive: true });
        fs.copyFileSync(path.join(ROOT, manifest), path.join(dir, manifest));
        const modules = path.join(ROOT, top, name, 'node_modules');
        if (fs.existsSync(modules))
          fs.cpSync(modules, path.join(dir, top, name, 'node_modules'), { recursive: true, verbatimSymlinks: true });
      }
    fs.mkdirSync(path.join(dir, 'node_modules'));
    for (const entry of fs.readdirSync(path.join(ROOT, 'node_modules'))) {
      const from = path.join(ROOT, 'node_modules', entry);
      if (entry === '.pnpm') fs.symlinkSync(from, path.join(dir, 'node_modules', entry));
      else fs.cpSync(from, path.join(dir, 'node_modules', entry), { recursive: true, verbatimSymlinks: true });
    }
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
