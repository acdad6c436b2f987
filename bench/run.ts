/**
 * `npm run bench [-- section ...]`: runs the named benchmark sections (all by
 * default), merges each one's figures into bench/results.json (other sections'
 * figures are kept) and rewrites bench/RESULTS.md from it.
 *
 * A section is an async function returning flat figures; add yours to SECTIONS.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';

export type Figures = Record<string, number | string | boolean | null>;
export type Progress = (message: string) => void;
export type Section = (progress: Progress) => Promise<Figures>;

const SECTIONS: Record<string, () => Promise<Section>> = {
  kbSearch: async () => (await import('./kb-search.js')).kbSearch,
  answering: async () => (await import('./answering.js')).answering,
  httpTickets: async () => (await import('./http-tickets.js')).httpTickets,
  // every statistic of a month on the 1,000,000 tickets (target: each under 500 ms)
  stats: async () => (await import('./stats-bench.js')).stats,
  supervisorWs: async () => (await import('./supervisor-ws.js')).supervisorWs,
  // real calls through the local Asterisk (sipp): run nothing else against it meanwhile
  callPath: async () => (await import('./call-path.js')).callPath,
  routing: async () => (await import('./call-path.js')).routing,
  memory: async () => (await import('./call-path.js')).memory,
};

const here = (name: string) => fileURLToPath(new URL(name, import.meta.url));
const RESULTS_JSON = here('results.json');
const RESULTS_MD = here('RESULTS.md');

function machine() {
  return { cpu: cpus()[0]?.model.trim() ?? 'unknown', cores: cpus().length, node: process.version, date: new Date().toISOString() };
}

function progressFor(section: string): Progress {
  const started = Date.now();
  return (message) => process.stderr.write(`[${section} ${((Date.now() - started) / 1000).toFixed(1)}s] ${message}\n`);
}

function readResults(): Record<string, unknown> {
  return existsSync(RESULTS_JSON) ? (JSON.parse(readFileSync(RESULTS_JSON, 'utf8')) as Record<string, unknown>) : {};
}

function markdown(results: Record<string, unknown>): string {
  const m = results.machine as ReturnType<typeof machine> | undefined;
  const lines = ['# Benchmark results', '', 'Written by `npm run bench` from `bench/results.json`; do not edit by hand.', ''];
  if (m) lines.push(`Machine: ${m.cpu}, ${m.cores} cores, Node ${m.node}, last run ${m.date}.`, '');
  for (const [name, figures] of Object.entries(results)) {
    if (name === 'machine' || typeof figures !== 'object' || figures === null) continue;
    lines.push(`## ${name}`, '', '| figure | value |', '| --- | --- |');
    for (const [k, v] of Object.entries(figures)) lines.push(`| ${k} | ${typeof v === 'object' ? JSON.stringify(v) : String(v)} |`);
    lines.push('');
  }
  return lines.join('\n');
}

async function main() {
  const asked = process.argv.slice(2).filter((a) => a !== '--');
  const unknown = asked.filter((n) => !(n in SECTIONS));
  if (unknown.length) {
    console.error(`unknown section(s): ${unknown.join(', ')}; known: ${Object.keys(SECTIONS).join(', ')}`);
    process.exit(2);
  }
  const names = asked.length ? asked : Object.keys(SECTIONS);
  for (const [i, name] of names.entries()) {
    console.error(`== ${name} (${i + 1}/${names.length})`);
    const section = await SECTIONS[name]();
    const figures = await section(progressFor(name));
    // re-read: merge into whatever is there now, keeping other sections' figures
    const results = readResults();
    results[name] = { ...figures, ranAt: new Date().toISOString() };
    results.machine = machine();
    writeFileSync(RESULTS_JSON, JSON.stringify(results, null, 2) + '\n');
    writeFileSync(RESULTS_MD, markdown(results));
    console.error(`== ${name} done: ${JSON.stringify(figures)}`);
  }
}

await main();
