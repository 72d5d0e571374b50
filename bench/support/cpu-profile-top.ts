/**
 * The top frames of a V8 CPU profile (`node --cpu-prof`), by self time and by total time (inclusive):
 *   npx tsx bench/support/cpu-profile-top.ts CPU.<...>.cpuprofile [count] [filter]
 * `filter` keeps only frames whose url contains it (e.g. `apps/webhooks` or `mailroom`).
 */
import fs from 'node:fs';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

const [file, countArg, filter] = process.argv.slice(2);
const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as { nodes: Node[]; startTime: number; endTime: number; samples: number[] };
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const total = profile.samples.length;
const label = (n: Node) =>
  `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.replace(/^.*\/(node_modules\/\.pnpm\/[^/]+\/node_modules\/|work\/wt\/[^/]+\/)/, '')}:${n.callFrame.lineNumber + 1}`;
const self = new Map<string, number>();
const inclusive = new Map<string, number>();
for (const n of profile.nodes) {
  const hits = n.hitCount ?? 0;
  if (!hits) continue;
  self.set(label(n), (self.get(label(n)) ?? 0) + hits);
  const seen = new Set<string>();
  for (let cur: Node | undefined = n; cur; cur = byId.get(parent.get(cur.id) ?? -1)) {
    const l = label(cur);
    if (seen.has(l)) continue;
    seen.add(l);
    inclusive.set(l, (inclusive.get(l) ?? 0) + hits);
  }
}
const count = Number(countArg ?? 25);
const show = (title: string, m: Map<string, number>) => {
  console.log(`\n${title} (of ${total} samples, ${((profile.endTime - profile.startTime) / 1e6).toFixed(1)} s)`);
  [...m]
    .filter(([l]) => !filter || l.includes(filter))
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .forEach(([l, h]) => console.log(`${((100 * h) / total).toFixed(1).padStart(5)} %  ${l}`));
};
show('self time', self);
show('total time', inclusive);
