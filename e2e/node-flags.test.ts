import fs from 'node:fs';
import path from 'node:path';

/**
 * Every way an app is started gives it the same V8 flags, listed once in infra/node-flags.json: the
 * quick start (scripts/run-all.mjs) and the benchmark read the file; the image's default command, the
 * Dockerfile's notes and docker-compose.yml write the flags out, and are checked here against it.
 */
const ROOT = path.resolve(__dirname, '..');
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8');
const flags = JSON.parse(read('infra/node-flags.json')) as Record<'api' | 'worker' | 'webhooks', string[]>;
const APPS = ['api', 'worker', 'webhooks'] as const;

/**
 * The arguments between `node` and the app's compiled file (apps/<app>/dist/main.js, scripts/build-apps.mjs)
 * of a command written as a JSON-like list of quoted strings; the file is the last argument.
 */
function flagsOf(command: string, app: string): string[] {
  const args = [...command.matchAll(/["']([^"']+)["']/g)].map((m) => m[1]);
  expect(args[0]).toBe('node');
  expect(args[args.length - 1]).toBe(`apps/${app}/dist/main.js`);
  return args.slice(1, -1);
}

describe("the apps' V8 flags", () => {
  it('are listed for each app, as flags', () => {
    for (const app of APPS) {
      expect(Array.isArray(flags[app])).toBe(true);
      for (const flag of flags[app]) expect(flag).toMatch(/^--[a-z-]+(=\S+)?$/);
    }
    expect(flags.api).toEqual(['--max-semi-space-size=64', '--interrupt-budget=16384']);
    expect(flags.worker).toEqual(['--initial-old-space-size=32', '--heap-growing-percent=50', '--interrupt-budget=16384']);
  });

  it("docker-compose.yml starts each app's service with its flags", () => {
    const compose = read('docker-compose.yml');
    for (const app of APPS) {
      // One line, or a list Prettier wrapped over several.
      const command = new RegExp(`^\\s*command:\\s*(\\[[^\\]]*apps/${app}/dist/main\\.js'[^\\]]*\\])`, 'm').exec(compose);
      expect(command).not.toBeNull();
      expect(flagsOf(command![1], app)).toEqual(flags[app]);
    }
  });

  it("the image's default command (the API) and the Dockerfile's notes give the same flags", () => {
    const dockerfile = read('Dockerfile');
    const cmd = /^CMD (\[.*\])$/m.exec(dockerfile);
    expect(cmd).not.toBeNull();
    expect(cmd![1]).toContain('apps/api/dist/main.js');
    expect(flagsOf(cmd![1], 'api')).toEqual(flags.api);
    // The notes: `#   <app>  ["node", ...` up to the app's main.js, possibly over two comment lines.
    for (const app of APPS) {
      const note = new RegExp(`^#\\s+${app}\\s+(\\[[^\\]]*apps/${app}/dist/main\\.js"\\])`, 'ms').exec(dockerfile);
      expect(note).not.toBeNull();
      expect(flagsOf(note![1].replace(/\n#\s*/g, ' '), app)).toEqual(flags[app]);
    }
  });

  it('the quick start and the benchmark read them from infra/node-flags.json', () => {
    expect(read('scripts/run-all.mjs')).toMatch(/infra', 'node-flags\.json'/);
    expect(read('scripts/run-all.mjs')).toMatch(/\.\.\.nodeFlags\[name\]/);
    expect(read('bench/support/app-process.ts')).toMatch(/infra', 'node-flags\.json'/);
  });
});
