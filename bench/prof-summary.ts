/**
 * Where a CPU profile's time went, as text: self time per function and per source file
 * (node_modules grouped by package). For a profile written by BENCH_CPU_PROF=1:
 *
 *   npx tsx bench/prof-summary.ts bench/out/prof/CPU.*.cpuprofile [top]
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

const [file, topArg] = process.argv.slice(2);
if (!file) throw new Error('usage: prof-summary.ts <file.cpuprofile> [top]');
const top = Number(topArg ?? 30);
const p = JSON.parse(readFileSync(file, 'utf8')) as Profile;

// self time per node from the sample deltas (µs)
const selfUs = new Map<number, number>();
p.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (p.timeDeltas[i] ?? 0)));
const total = [...selfUs.values()].reduce((a, b) => a + b, 0);

const where = (url: string): string => {
  if (!url) return '(native)';
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (nm) return `npm:${nm[1]}`;
  if (url.startsWith('node:')) return url;
  const src = /\/((?:src|bench|test)\/.*)$/.exec(url);
  return src ? src[1] : url;
};

const byFunction = new Map<string, number>();
const byFile = new Map<string, number>();
for (const node of p.nodes) {
  const us = selfUs.get(node.id) ?? 0;
  if (!us) continue;
  const f = node.callFrame;
  const file = where(f.url);
  const fn = `${f.functionName || '(anonymous)'} ${file}${f.url ? `:${f.lineNumber + 1}` : ''}`;
  byFunction.set(fn, (byFunction.get(fn) ?? 0) + us);
  byFile.set(file, (byFile.get(file) ?? 0) + us);
}

// the time of library and runtime code charged to the nearest of our own functions up the stack
const parent = new Map<number, number>();
for (const node of p.nodes) for (const c of node.children ?? []) parent.set(c, node.id);
const nodes = new Map(p.nodes.map((n) => [n.id, n]));
const ours = (url: string) => /\/src\//.test(url) && !url.includes('node_modules');
const byOwnCaller = new Map<string, number>();
for (const [id, us] of selfUs) {
  let n: ProfileNode | undefined = nodes.get(id);
  while (n && !ours(n.callFrame.url)) n = nodes.get(parent.get(n.id) ?? -1);
  if (!n) continue;
  const key = `${n.callFrame.functionName || '(anonymous)'} ${where(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;
  byOwnCaller.set(key, (byOwnCaller.get(key) ?? 0) + us);
}

const show = (title: string, m: Map<string, number>) => {
  console.log(`\n${title}`);
  for (const [k, us] of [...m].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(`${(us / 1000).toFixed(0).padStart(8)} ms ${((100 * us) / total).toFixed(1).padStart(5)}%  ${k}`);
  }
};
console.log(`profile ${((p.endTime - p.startTime) / 1e6).toFixed(1)} s, sampled ${(total / 1e6).toFixed(1)} s`);
show('self time by file / package', byFile);
show('self time by function', byFunction);
show('time charged to our own code (self + the libraries it called)', byOwnCaller);
