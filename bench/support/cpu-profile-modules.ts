/**
 * Where a V8 CPU profile (`node --cpu-prof`) spent its time, from the sample timings (timeDeltas):
 *   npx tsx bench/support/cpu-profile-modules.ts CPU.<...>.cpuprofile [count] [skipSeconds] [untilSeconds]
 * prints the top frames by self time (functionName url:line), the top frames by inclusive time, and
 * inclusive time by module: a package under node_modules (`bullmq`, `better-sqlite3`), a Mailroom app
 * or package (`apps/worker`, `packages/store`), `node:` internals, or V8's own `(garbage collector)`,
 * `(program)`, `(idle)`. Inclusive time counts a frame (or module) once per sample however often it
 * recurs on the stack. Percentages are of the busy time (everything but `(idle)`). `skipSeconds`
 * leaves out the samples of the profile's first seconds (the process's start: tsx compiling, modules loading);
 * `untilSeconds` those after that second of the profile (to read one measured window of a bench row:
 * the closed loop alone, not the open loop after it).
 */
import fs from 'node:fs';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

const frameLabel = (f: CallFrame) => `${f.functionName || '(anonymous)'} ${shortUrl(f.url)}${f.url ? `:${f.lineNumber + 1}` : ''}`;

function shortUrl(url: string): string {
  return url
    .replace(/^file:\/\//, '')
    .replace(/^.*\/node_modules\/\.pnpm\/[^/]+\/node_modules\//, '')
    .replace(/^.*?\/(apps|packages|bench|e2e)\//, '$1/');
}

/** The module a frame belongs to: the npm package, the Mailroom app or package, node's internals, or V8's pseudo-frames. */
export function moduleOf(f: CallFrame): string {
  const url = f.url;
  if (!url) return f.functionName.startsWith('(') ? f.functionName : '(native)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(?!.*node_modules\/)/.exec(url);
  if (pkg) return pkg[1];
  const ours = /\/(apps|packages)\/([^/]+)\//.exec(url);
  if (ours) return `${ours[1]}/${ours[2]}`;
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/')[0]}`;
  return shortUrl(url);
}

export function summarize(profile: Profile, skipUs = 0, untilUs = Infinity) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const selfUs = new Map<number, number>();
  // timeDeltas[i] is the time from sample i-1 to sample i: the time of sample i-1's frame.
  let at = profile.startTime;
  for (let i = 1; i < profile.samples.length; i++) {
    at += profile.timeDeltas[i];
    if (at - profile.startTime < skipUs || at - profile.startTime > untilUs) continue;
    const id = profile.samples[i - 1];
    selfUs.set(id, (selfUs.get(id) ?? 0) + profile.timeDeltas[i]);
  }
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const modules = new Map<string, number>();
  const modulesSelf = new Map<string, number>();
  const owners = new Map<string, number>();
  let busy = 0;
  let idle = 0;
  for (const [id, us] of selfUs) {
    const node = byId.get(id)!;
    if (node.callFrame.functionName === '(idle)') {
      idle += us;
      continue;
    }
    busy += us;
    add(self, frameLabel(node.callFrame), us);
    add(modulesSelf, moduleOf(node.callFrame), us);
    add(owners, ownerOf(node, byId, parent), us);
    const seenFrames = new Set<string>();
    const seenModules = new Set<string>();
    for (let cur: ProfileNode | undefined = node; cur; cur = byId.get(parent.get(cur.id) ?? -1)) {
      if (cur.callFrame.functionName === '(root)') break;
      const l = frameLabel(cur.callFrame);
      if (!seenFrames.has(l)) (add(inclusive, l, us), seenFrames.add(l));
      const m = moduleOf(cur.callFrame);
      if (!seenModules.has(m)) (add(modules, m, us), seenModules.add(m));
    }
  }
  return { self, inclusive, modules, modulesSelf, owners, busyUs: busy, idleUs: idle, wallUs: profile.endTime - profile.startTime };
}

/** The nearest module on the stack that is neither node's internals nor native: who asked for the work. */
function ownerOf(node: ProfileNode, byId: Map<number, ProfileNode>, parent: Map<number, number>): string {
  for (let cur: ProfileNode | undefined = node; cur; cur = byId.get(parent.get(cur.id) ?? -1)) {
    const m = moduleOf(cur.callFrame);
    if (m === '(garbage collector)' || m === '(program)') return m;
    if (!m.startsWith('node:') && m !== '(native)' && m !== '(root)') return m;
  }
  return '(node, on its own)';
}

function add(m: Map<string, number>, k: string, v: number) {
  m.set(k, (m.get(k) ?? 0) + v);
}

function main() {
  const [file, countArg, skipArg, untilArg] = process.argv.slice(2);
  if (!file) throw new Error('usage: cpu-profile-modules.ts <file.cpuprofile> [count] [skipSeconds] [untilSeconds]');
  const until = untilArg === undefined ? Infinity : Number(untilArg) * 1e6;
  const s = summarize(JSON.parse(fs.readFileSync(file, 'utf8')) as Profile, Number(skipArg ?? 0) * 1e6, until);
  const count = Number(countArg ?? 20);
  console.log(
    `${file}${skipArg ? ` (after its first ${skipArg} s)` : ''}${untilArg ? ` (until ${untilArg} s)` : ''}\nwall ${(s.wallUs / 1e6).toFixed(1)} s, busy ${(s.busyUs / 1e6).toFixed(1)} s, idle ${(s.idleUs / 1e6).toFixed(1)} s`,
  );
  const show = (title: string, m: Map<string, number>) => {
    console.log(`\n${title} (% of busy)`);
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, count)
      .forEach(([l, us]) =>
        console.log(`${((100 * us) / s.busyUs).toFixed(1).padStart(5)} %  ${(us / 1000).toFixed(0).padStart(6)} ms  ${l}`),
      );
  };
  show('self time by frame', s.self);
  show('inclusive time by frame', s.inclusive);
  show('self time by module', s.modulesSelf);
  show('inclusive time by module', s.modules);
  show('self time by owning module (node internals and native code charged to the module that called them)', s.owners);
}

if (require.main === module) main();
