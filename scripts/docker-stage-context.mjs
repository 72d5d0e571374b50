// What the Dockerfile's stages are made of, for the checks that rebuild a stage without Docker
// (scripts/check-ui-stage.mjs, scripts/check-apps-stage.mjs): a stage's instructions, .dockerignore as a
// predicate, COPY from the build context, and the files the `deps` stage leaves (the manifests and the
// installed node_modules, linked to this checkout's pnpm store). withStageFiles puts them together.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

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

/**
 * Into `dir`, what the `deps` stage leaves: its context COPYs, then every package.json (the manifests
 * stage), then what the install leaves: node_modules with pnpm's relative links (into .pnpm, and to the
 * workspace's folders here).
 */
/** A stage's COPYs from the build context into `dir` (a destination ending in `/` takes each source's name). */
function copyStageContext(body, dir, ignored) {
  for (const [sources, dest] of contextCopies(body))
    for (const src of sources)
      copyFromContext(src, path.join(dir, dest.endsWith('/') ? path.join(dest, path.basename(src)) : dest), ignored);
}

function rebuildDepsStage(dockerfile, dir, ignored) {
  copyStageContext(stageInstructions(dockerfile, 'deps').body, dir, ignored);
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
}

/**
 * A stage built FROM deps, rebuilt without Docker: in a temporary directory, what the `deps` stage leaves,
 * then the stage's own COPYs from the build context (less what .dockerignore keeps out). `work(dir)` runs
 * there, and the directory is removed after. The stage must start FROM deps and run exactly `run`, or
 * `checker` (the script) has to be taught what changed.
 */
export function withStageFiles(dockerfile, stage, { run, checker }, work) {
  const { from, body } = stageInstructions(dockerfile, stage);
  const teach = (what) => new Error(`Dockerfile: the ${stage} stage now ${what}; teach scripts/${checker}`);
  if (from !== 'deps') throw teach(`starts FROM ${from}`);
  const runs = body.filter((l) => /^RUN\s/i.test(l)).map((l) => l.replace(/^RUN\s+/i, ''));
  if (runs.join(' && ') !== run) throw teach(`runs ${runs.join(' && ')}`);
  const ignored = dockerignore();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `mailroom-${stage}-stage-`));
  try {
    rebuildDepsStage(dockerfile, dir, ignored);
    copyStageContext(body, dir, ignored);
    return work(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** A check's command line: its output, then `passed` or `failed` on a line of its own, and the exit code. */
export function reportCheck({ ok, output }, passed, failed) {
  process.stdout.write(output);
  console.log(ok ? passed : failed);
  process.exit(ok ? 0 : 1);
}
