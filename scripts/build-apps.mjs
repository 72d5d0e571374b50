// Compiles each app into one CommonJS file under apps/<app>/dist (decision 0074): what the image, compose,
// the quick start and the benchmark run, with plain `node` and no TypeScript loader in the process.
// The tests keep running the sources through tsx and @swc/jest; e2e/built-apps.test.ts runs these files.
//
//   node scripts/build-apps.mjs              writes apps/{api,worker,webhooks}/dist
//   node scripts/build-apps.mjs dist-<name>  writes apps/<app>/dist-<name> instead (a test's own copy, still
//                                            inside each app's directory, so Node finds the app's node_modules)
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Each app's entry points: its main, and any file it starts by path (a thread). */
export const APP_ENTRIES = {
  api: ['src/main.ts', 'src/batch-body/batch-body-thread.ts'],
  worker: ['src/main.ts'],
  webhooks: ['src/main.ts'],
};

/**
 * Packages loaded from node_modules at run time rather than compiled in, because they find files by
 * path: better-sqlite3 its native addon; BullMQ's msgpackr its optional native string extractor
 * (compiled in, it looked beside dist/main.js, found nothing and fell back to JavaScript without a
 * word); the MongoDB driver its optional native helpers; the dashboard's packages and the admin UI
 * the files they serve. Each app lists those it imports among its own dependencies, so Node finds
 * them from apps/<app>/dist. (tsx is only asked for when a thread's entry is a .ts file, which a build
 * never has.)
 */
export const EXTERNAL = ['better-sqlite3', 'bullmq', 'mongodb', '@bull-board/*', '@mailroom/admin-ui/package.json', 'tsx/cjs/api'];

/**
 * Files .dockerignore keeps out of the image (tests and what only they use, and the folders beside the
 * code): an app that imports one would build here and fail in `docker build`.
 */
const LEFT_OUT_OF_IMAGE =
  /\.(test|spec|contract|fixture)\.ts$|(^|\/)fixtures\/|^(apps|packages)\/[^/]+\/test\/|^packages\/testkit\/|^(e2e|bench|infra|docs|\.ci)\//;

/** Builds every app into apps/<app>/<dirName>; resolves with each output directory. */
export async function buildApps(dirName = 'dist') {
  const outDirs = {};
  for (const [app, entries] of Object.entries(APP_ENTRIES)) {
    const appDir = path.join(root, 'apps', app);
    const outdir = path.join(appDir, dirName);
    fs.rmSync(outdir, { recursive: true, force: true });
    const result = await build({
      absWorkingDir: root,
      entryPoints: entries.map((e) => path.join(appDir, e)),
      outbase: path.join(appDir, 'src'),
      outdir,
      // Every entry flat in dist: batch-body-reader.ts finds its thread beside itself (dist/batch-body-thread.js).
      entryNames: '[name]',
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      external: EXTERNAL,
      // Nothing minified, and a source map beside each file (node --enable-source-maps reads it) for the stack
      // traces. Not keepNames: it wraps every closure as it is created in a call that defines its name, and
      // cost the single enqueue about a fifth of its CPU per request (decision 0074).
      sourcemap: 'linked',
      sourcesContent: false,
      logLevel: 'warning',
      metafile: true,
    });
    if (result.errors.length) throw new Error(`${app}: ${result.errors.length} build errors`);
    const leftOut = Object.keys(result.metafile.inputs).filter((file) => !file.includes('node_modules/') && LEFT_OUT_OF_IMAGE.test(file));
    if (leftOut.length) throw new Error(`${app} imports files the image leaves out (.dockerignore): ${leftOut.join(', ')}`);
    outDirs[app] = outdir;
  }
  return outDirs;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const started = Date.now();
  const dirs = await buildApps(process.argv[2]);
  for (const [app, dir] of Object.entries(dirs)) console.log(`built ${app}: ${path.relative(root, dir) || dir}`);
  console.log(`in ${Date.now() - started} ms`);
}
