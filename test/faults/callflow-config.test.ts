// Fault drill (issue #7): malformed IVR / queue files (config/ivr.json, config/queues.json,
// or IVR_CONFIG / QUEUES_CONFIG). test/calls/callflow-config.test.ts has worked examples;
// here fast-check mutates the shipped files:
//   - each known way of breaking them (wrong types, dangling menu or queue, loops, dead-end
//     menus, missing or malformed prompts, bad JSON...) is refused with a CallflowConfigError
//     that names the file and the broken node;
//   - any random change is either refused that way or gives a call flow that holds together
//     (checked here independently of the loader): never a TypeError, never half a config;
//   - a server started on a broken file stops in buildApp, before it talks to Asterisk.
import t from 'tap';
import fc from 'fast-check';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CallflowConfigError, loadCallflow, validateIvr, validateQueues, type Callflow } from '../../src/calls/callflow-config.js';
import { buildApp } from '../../src/app.js';
import { openDatabase } from '../../src/db/index.js';

const RUNS = Number(process.env.FAULT_RUNS ?? 60);
const shipped = loadCallflow();
type Json = any;

const dir = mkdtempSync(join(tmpdir(), 'hotline-callflow-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
/** Writes the pair to disk (text as is, anything else as JSON) so the real loader reads them. */
function write(ivr: unknown, queues: unknown) {
  const n = ++files;
  const paths = { ivr: join(dir, `ivr-${n}.json`), queues: join(dir, `queues-${n}.json`) };
  writeFileSync(paths.ivr, typeof ivr === 'string' ? ivr : JSON.stringify(ivr, null, 2));
  writeFileSync(paths.queues, typeof queues === 'string' ? queues : JSON.stringify(queues, null, 2));
  return paths;
}

/** What a loaded call flow must satisfy, checked without the loader's code. */
function holdsTogether({ ivr, queues }: Callflow): string | null {
  const qs = queues.queues;
  // own keys: every object has a 'constructor', no call flow has a menu of that name
  const isMenu = (id: string) => Object.hasOwn(ivr.menus, id);
  const isQueue = (id: string) => Object.hasOwn(qs, id);
  if (!isQueue('street')) return 'no street queue';
  if (!isMenu(ivr.start)) return 'start is no menu';
  if (!isQueue(ivr.onFailure.queue)) return 'onFailure to no queue';
  for (const [id, q] of Object.entries(qs)) {
    if (q.onMaxWait === 'overflow') {
      // an overflow chain ends in a queue that offers a callback
      const seen = new Set([id]);
      for (let at = q; at.onMaxWait === 'overflow'; ) {
        if (!at.overflowTo || !isQueue(at.overflowTo)) return `${id}: overflow to nowhere`;
        if (seen.has(at.overflowTo)) return `${id}: overflow loop`;
        seen.add(at.overflowTo);
        at = qs[at.overflowTo];
      }
    }
  }
  for (const [id, menu] of Object.entries(ivr.menus)) {
    if (typeof menu.prompt !== 'string' || !/^[\w-]+(\/[\w-]+)*$/.test(menu.prompt)) return `${id}: prompt ${menu.prompt}`;
    let reachesQueue = false;
    const todo = [id];
    const seen = new Set<string>();
    while (todo.length) {
      const m = ivr.menus[todo.pop()!];
      for (const [digit, target] of Object.entries(m.options)) {
        if (!/^[0-9#]$/.test(digit)) return `${id}: option ${digit}`;
        if (typeof target === 'string') {
          if (!isMenu(target)) return `${id}: goto ${target}`;
          if (!seen.has(target)) seen.add(target), todo.push(target);
        } else if (!isQueue(target.queue)) return `${id}: queue ${target.queue}`;
        else reachesQueue = true;
      }
    }
    if (!reachesQueue) return `${id}: leads to no queue`;
  }
  return null;
}

interface Breakage {
  what: string;
  /** breaks a copy in place */
  apply(ivr: Json, queues: Json): void;
  file: 'ivr' | 'queues';
  /** the node the error must name */
  where: RegExp;
}

/** Known ways of breaking the files, each with the node its error must name. */
const BREAKAGES: Breakage[] = [
  // --- the IVR
  { what: 'start names no menu', file: 'ivr', where: /start: no menu "lobby"/, apply: (i) => (i.start = 'lobby') },
  { what: 'a goto to a missing menu', file: 'ivr', where: /menus\.main\.options\.1: no menu "nowhere"/, apply: (i) => (i.menus.main.options['1'] = 'nowhere') },
  { what: 'a menu removed that is still a goto', file: 'ivr', where: /menus\.main\.options\.1: no menu "consultation"/, apply: (i) => delete i.menus.consultation },
  { what: 'a menu pointing to a missing queue', file: 'ivr', where: /menus\.main\.options\.3: no queue "ghost"/, apply: (i) => (i.menus.main.options['3'].queue = 'ghost') },
  // names that every object has: they must not pass for a menu or a queue
  { what: 'a goto "constructor"', file: 'ivr', where: /menus\.main\.options\.1: no menu "constructor"/, apply: (i) => (i.menus.main.options['1'] = 'constructor') },
  { what: 'start "__proto__"', file: 'ivr', where: /start: no menu "__proto__"/, apply: (i) => (i.start = '__proto__') },
  { what: 'a queue "toString"', file: 'ivr', where: /menus\.main\.options\.3: no queue "toString"/, apply: (i) => (i.menus.main.options['3'].queue = 'toString') },
  { what: 'onFailure to "hasOwnProperty"', file: 'ivr', where: /onFailure: no queue "hasOwnProperty"/, apply: (i) => (i.onFailure.queue = 'hasOwnProperty') },
  { what: 'an overflow to "valueOf"', file: 'queues', where: /queues\.consultation\.overflowTo/, apply: (_i, q) => (q.queues.consultation.overflowTo = 'valueOf') },
  { what: 'onFailure to a missing queue', file: 'ivr', where: /onFailure: no queue "ghost"/, apply: (i) => (i.onFailure.queue = 'ghost') },
  { what: 'onFailure missing', file: 'ivr', where: /\(top level\): .*onFailure/, apply: (i) => delete i.onFailure },
  { what: 'a prompt missing', file: 'ivr', where: /menus\.consultation: .*prompt/, apply: (i) => delete i.menus.consultation.prompt },
  { what: 'an empty prompt', file: 'ivr', where: /menus\.main\.prompt/, apply: (i) => (i.menus.main.prompt = '') },
  { what: 'a prompt that is a number', file: 'ivr', where: /menus\.main\.prompt/, apply: (i) => (i.menus.main.prompt = 42) },
  { what: 'a prompt given as a file name', file: 'ivr', where: /menus\.main\.prompt/, apply: (i) => (i.menus.main.prompt = 'ivr/welcome.wav') },
  { what: 'a prompt given as a path', file: 'ivr', where: /menus\.main\.prompt/, apply: (i) => (i.menus.main.prompt = '/var/lib/asterisk/sounds/welcome') },
  { what: 'a blank prompt', file: 'ivr', where: /menus\.community_life\.prompt/, apply: (i) => (i.menus.community_life.prompt = '  ') },
  { what: "'*' as an option", file: 'ivr', where: /menus\.main\.options/, apply: (i) => (i.menus.main.options['*'] = 'consultation') },
  { what: 'a two-digit option', file: 'ivr', where: /menus\.main\.options/, apply: (i) => (i.menus.main.options['10'] = 'consultation') },
  { what: 'a menu with no options', file: 'ivr', where: /menus\.community_life: leads to no queue/, apply: (i) => (i.menus.community_life.options = {}) },
  {
    what: 'menus that only loop through each other',
    file: 'ivr',
    where: /menus\.(main|consultation): leads to no queue/,
    apply: (i) => {
      i.menus.main.options = { '1': 'consultation', '2': 'community_life' };
      i.menus.consultation.options = { '1': 'main' };
      i.menus.community_life.options = { '1': 'consultation' };
    },
  },
  { what: 'a target without a category', file: 'ivr', where: /menus\.consultation\.options\.1: .*category/, apply: (i) => delete i.menus.consultation.options['1'].category },
  { what: "emergency: 'yes'", file: 'ivr', where: /menus\.main\.options\.9\.emergency: must be boolean/, apply: (i) => (i.menus.main.options['9'].emergency = 'yes') },
  { what: 'a typo in a target key', file: 'ivr', where: /menus\.main\.options\.3\.queeu: unknown key/, apply: (i) => (i.menus.main.options['3'].queeu = 'complaint') },
  { what: 'an unknown top-level key', file: 'ivr', where: /timeout: unknown key/, apply: (i) => (i.timeout = 5) },
  { what: 'digitTimeoutSeconds 0', file: 'ivr', where: /digitTimeoutSeconds/, apply: (i) => (i.digitTimeoutSeconds = 0) },
  { what: 'digitTimeoutSeconds as a string', file: 'ivr', where: /digitTimeoutSeconds/, apply: (i) => (i.digitTimeoutSeconds = '5') },
  { what: 'maxTries 1.5', file: 'ivr', where: /maxTries/, apply: (i) => (i.maxTries = 1.5) },
  { what: 'maxTries 11', file: 'ivr', where: /maxTries/, apply: (i) => (i.maxTries = 11) },
  { what: 'menus as an array', file: 'ivr', where: /menus/, apply: (i) => (i.menus = [i.menus.main]) },
  { what: 'no menus at all', file: 'ivr', where: /start: no menu "main"/, apply: (i) => (i.menus = {}) },
  { what: 'a queue the IVR uses removed', file: 'ivr', where: /menus\.main\.options\.3: no queue "complaint"/, apply: (_i, q) => delete q.queues.complaint },
  // --- the queues
  { what: 'overflow to a missing queue', file: 'queues', where: /queues\.consultation\.overflowTo/, apply: (_i, q) => (q.queues.consultation.overflowTo = 'ghost') },
  { what: 'overflow without overflowTo', file: 'queues', where: /queues\.consultation\.overflowTo/, apply: (_i, q) => delete q.queues.consultation.overflowTo },
  { what: 'a queue that overflows to itself', file: 'queues', where: /queues\.complaint\.overflowTo: .*loop/, apply: (_i, q) => Object.assign(q.queues.complaint, { onMaxWait: 'overflow', overflowTo: 'complaint' }) },
  {
    what: 'two queues overflowing into each other',
    file: 'queues',
    where: /queues\.(operator|consultation)\.overflowTo: .*loop/,
    apply: (_i, q) => Object.assign(q.queues.operator, { onMaxWait: 'overflow', overflowTo: 'consultation' }),
  },
  {
    what: 'an overflow loop of three',
    file: 'queues',
    where: /queues\.(operator|consultation|complaint)\.overflowTo: .*loop/,
    apply: (_i, q) => {
      Object.assign(q.queues.operator, { onMaxWait: 'overflow', overflowTo: 'complaint' });
      Object.assign(q.queues.complaint, { onMaxWait: 'overflow', overflowTo: 'consultation' });
    },
  },
  { what: "onMaxWait 'hangup'", file: 'queues', where: /queues\.operator\.onMaxWait|queues\.operator/, apply: (_i, q) => (q.queues.operator.onMaxWait = 'hangup') },
  { what: 'the street queue removed', file: 'queues', where: /queues\.street/, apply: (_i, q) => delete q.queues.street },
  { what: 'no queues at all', file: 'queues', where: /queues\.street/, apply: (_i, q) => (q.queues = {}) },
  { what: 'ringTimeoutSeconds 2', file: 'queues', where: /seats\.ringTimeoutSeconds/, apply: (_i, q) => (q.seats.ringTimeoutSeconds = 2) },
  { what: 'ringTimeoutSeconds as a string', file: 'queues', where: /seats\.ringTimeoutSeconds/, apply: (_i, q) => (q.seats.ringTimeoutSeconds = '15') },
  { what: 'wrapUpSeconds -1', file: 'queues', where: /seats\.wrapUpSeconds/, apply: (_i, q) => (q.seats.wrapUpSeconds = -1) },
  { what: 'maxMissedInRow 0', file: 'queues', where: /seats\.maxMissedInRow/, apply: (_i, q) => (q.seats.maxMissedInRow = 0) },
  { what: 'maxWaitSeconds 0', file: 'queues', where: /queues\.operator\.maxWaitSeconds/, apply: (_i, q) => (q.queues.operator.maxWaitSeconds = 0) },
  { what: 'an empty skill', file: 'queues', where: /queues\.complaint\.skill/, apply: (_i, q) => (q.queues.complaint.skill = '') },
  { what: 'a name that is a number', file: 'queues', where: /queues\.complaint\.name/, apply: (_i, q) => (q.queues.complaint.name = 5) },
  { what: 'announceEverySeconds 4', file: 'queues', where: /announceEverySeconds/, apply: (_i, q) => (q.announceEverySeconds = 4) },
  { what: 'seats missing', file: 'queues', where: /\(top level\): .*seats/, apply: (_i, q) => delete q.seats },
  { what: 'an unknown key in a queue', file: 'queues', where: /queues\.street/, apply: (_i, q) => (q.queues.street.priority = 1) },
];

/** Loads the pair through validateQueues/validateIvr and through files on disk: both must refuse alike. */
function refusal(ivr: Json, queues: Json): { direct: unknown; fromFiles: unknown; paths: { ivr: string; queues: string } } {
  const catchIt = (f: () => unknown) => {
    try {
      f();
      return null;
    } catch (err) {
      return err;
    }
  };
  const paths = write(ivr, queues);
  return {
    direct: catchIt(() => validateIvr(ivr, validateQueues(queues, 'queues.json'), 'ivr.json')),
    fromFiles: catchIt(() => loadCallflow(paths)),
    paths,
  };
}

t.test('every known way of breaking the files is refused, naming the file and the node', async (t) => {
  for (const b of BREAKAGES) {
    const ivr = structuredClone(shipped.ivr) as Json;
    const queues = structuredClone(shipped.queues) as Json;
    b.apply(ivr, queues);
    const { direct, fromFiles, paths } = refusal(ivr, queues);
    t.type(direct, CallflowConfigError, `${b.what}: refused`);
    const message = (direct as Error | null)?.message ?? '';
    t.match(message, new RegExp(`^${b.file}\\.json: (?:${b.where.source})`), `${b.what}: ${message}`);
    t.type(fromFiles, CallflowConfigError, `${b.what}: refused from the files too`);
    t.ok((fromFiles as Error | null)?.message.startsWith(`${paths[b.file]}: `), `${b.what}: the message starts with the file's path`);
  }
});

t.test('a few breakages at once: refused, naming one of them', async (t) => {
  let n = 0;
  fc.assert(
    fc.property(fc.uniqueArray(fc.constantFrom(...BREAKAGES), { minLength: 2, maxLength: 4, selector: (b) => b.what }), (bs) => {
      const ivr = structuredClone(shipped.ivr) as Json;
      const queues = structuredClone(shipped.queues) as Json;
      for (const b of bs) {
        try {
          b.apply(ivr, queues);
        } catch {
          // an earlier breakage removed what this one changes: fine, it is broken anyway
        }
      }
      const { direct, fromFiles } = refusal(ivr, queues);
      if (!(direct instanceof CallflowConfigError)) throw new Error(`${bs.map((b) => b.what)}: ${direct}`);
      if (!(fromFiles instanceof CallflowConfigError)) throw new Error(`${bs.map((b) => b.what)} from files: ${fromFiles}`);
      // queues are checked first; then the IVR. The error names one node, not necessarily one we aimed at
      // (removing a menu also orphans its gotos), but always a node of a broken file.
      if (!/^(ivr|queues)\.json: \S/.test(direct.message)) throw new Error(direct.message);
      n++;
    }),
    { numRuns: RUNS },
  );
  t.pass(`${n} combined breakages refused`);
});

/** Every JSON path in a value, with the value there. */
function nodes(v: Json, path: Array<string | number> = []): Array<Array<string | number>> {
  const out = [path];
  if (v && typeof v === 'object') for (const [k, c] of Object.entries(v)) out.push(...nodes(c, [...path, Array.isArray(v) ? Number(k) : k]));
  return out;
}

t.test('any random change: refused with a CallflowConfigError, or a call flow that holds together', async (t) => {
  type At = { file: 'ivr' | 'queues'; path: Array<string | number> };
  const ivrNodes = nodes(shipped.ivr).map((path): At => ({ file: 'ivr', path }));
  const queueNodes = nodes(shipped.queues).map((path): At => ({ file: 'queues', path }));
  const change = fc.record({
    at: fc.constantFrom(...ivrNodes, ...queueNodes),
    how: fc.constantFrom('replace', 'delete', 'rename'),
    // plausible values (real menu and queue names, digits, numbers near the limits) as well as junk
    value: fc.oneof(
      fc.constantFrom('main', 'consultation', 'community_life', 'operator', 'complaint', 'street', 'ghost', 'constructor', 'toString', '__proto__', 'overflow', 'callback', '1', '#', '*', '', ' ', 'ivr/welcome', 0, 1, 3, 5, 60, 61, 121, -1, 1.5, true, null, [], {}),
      fc.jsonValue({ maxDepth: 2 }),
    ),
    key: fc.constantFrom('1', '9', '#', '*', 'x', 'main', 'ghost', 'street', '__proto__', 'constructor'),
  });
  const stats = { refused: 0, loaded: 0 };
  fc.assert(
    fc.property(fc.array(change, { minLength: 1, maxLength: 3 }), (changes) => {
      const cfg = { ivr: structuredClone(shipped.ivr) as Json, queues: structuredClone(shipped.queues) as Json };
      for (const { at, how, value, key } of changes) {
        const { file, path } = at;
        if (!path.length) {
          if (how === 'replace') cfg[file] = value;
          continue;
        }
        let parent = cfg[file];
        for (const k of path.slice(0, -1)) parent = parent?.[k];
        if (!parent || typeof parent !== 'object') continue;
        const last = path[path.length - 1];
        if (how === 'replace') parent[last] = value;
        else if (how === 'delete') delete parent[last];
        else if (!Array.isArray(parent)) {
          // a key renamed: JSON.parse makes __proto__ an own key, and so does this
          const v = parent[last];
          delete parent[last];
          Object.defineProperty(parent, key, { value: v, enumerable: true, configurable: true, writable: true });
        }
      }
      const paths = write(cfg.ivr, cfg.queues);
      let loaded: Callflow;
      try {
        loaded = loadCallflow(paths);
      } catch (err) {
        if (!(err instanceof CallflowConfigError)) throw new Error(`not a CallflowConfigError: ${(err as Error).stack}`);
        if (!err.message.startsWith(`${paths.ivr}: `) && !err.message.startsWith(`${paths.queues}: `)) throw new Error(`does not name the file: ${err.message}`);
        stats.refused++;
        return;
      }
      const broken = holdsTogether(loaded);
      if (broken) throw new Error(`loaded a call flow that does not hold together (${broken}) after ${JSON.stringify(changes)}`);
      stats.loaded++;
    }),
    { numRuns: RUNS * 5 },
  );
  t.ok(stats.refused > 0 && stats.loaded > 0, `refused ${stats.refused}, loaded ${stats.loaded} (each one checked)`);
});

t.test('files that are not JSON objects at all', async (t) => {
  const garbage = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 200 }),
    fc.constantFrom('', ' ', '\uFEFF{}', '{', '{"start": "main",}', "{'start': 'main'}", 'null', '[]', '42', '"ivr"', '{"start": "main"} trailing', '\u0000'),
    fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
  );
  fc.assert(
    fc.property(garbage, fc.boolean(), (text, inIvr) => {
      const paths = write(inIvr ? text : shipped.ivr, inIvr ? shipped.queues : text);
      try {
        loadCallflow(paths);
      } catch (err) {
        const file = inIvr ? paths.ivr : paths.queues;
        if (!(err instanceof CallflowConfigError) || !err.message.startsWith(`${file}: `)) throw new Error(`${JSON.stringify(text).slice(0, 80)}: ${err}`);
        return;
      }
      throw new Error(`loaded ${JSON.stringify(text).slice(0, 80)}`);
    }),
    { numRuns: RUNS * 2 },
  );
  t.throws(() => loadCallflow({ ivr: join(dir, 'missing.json') }), CallflowConfigError, 'a missing file');
  t.throws(() => loadCallflow({ queues: dir }), CallflowConfigError, 'a directory');
});

t.test('a server on a broken file stops in buildApp, before it talks to Asterisk', async (t) => {
  // a stand-in for ARI that counts who calls it
  let ariRequests = 0;
  const ari: Server = createServer((req, res) => {
    ariRequests++;
    res.writeHead(503).end();
  });
  ari.on('upgrade', (_req, socket) => {
    ariRequests++;
    socket.destroy();
  });
  await new Promise<void>((resolve) => ari.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => ari.close(() => resolve())));
  const ariUrl = `http://127.0.0.1:${(ari.address() as { port: number }).port}`;

  const saved = { IVR_CONFIG: process.env.IVR_CONFIG, QUEUES_CONFIG: process.env.QUEUES_CONFIG };
  t.teardown(() => {
    for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  });
  const start = async (env: { ivr: unknown; queues: unknown }) => {
    const paths = write(env.ivr, env.queues);
    process.env.IVR_CONFIG = paths.ivr;
    process.env.QUEUES_CONFIG = paths.queues;
    const db = openDatabase(':memory:');
    try {
      const app = await buildApp({ db, jobs: false, logger: false, config: { ari: { url: ariUrl, user: 'u', password: 'p', app: 'hotline', restLanes: 0 }, smtp: { host: '127.0.0.1', port: 0, maxBytes: 1024, enabled: false } } });
      await app.close();
      return null;
    } catch (err) {
      return err;
    } finally {
      db.$client.close();
    }
  };
  const loopy = structuredClone(shipped.queues) as Json;
  Object.assign(loopy.queues.operator, { onMaxWait: 'overflow', overflowTo: 'consultation' });
  const cases: Array<[string, { ivr: unknown; queues: unknown }, RegExp]> = [
    ['IVR_CONFIG not JSON', { ivr: '{"start":', queues: shipped.queues }, /ivr-\d+\.json: /],
    ['a menu pointing to a missing queue', { ivr: { ...shipped.ivr, onFailure: { queue: 'ghost', category: 'other' } }, queues: shipped.queues }, /onFailure: no queue "ghost"/],
    ['QUEUES_CONFIG with an overflow loop', { ivr: shipped.ivr, queues: loopy }, /queues\.(operator|consultation)\.overflowTo: .*loop/],
  ];
  for (const [what, env, message] of cases) {
    const err = await start(env);
    t.type(err, CallflowConfigError, `${what}: buildApp refuses`);
    t.match((err as Error).message, message, what);
  }
  await new Promise((resolve) => setTimeout(resolve, 300));
  t.equal(ariRequests, 0, 'not one request reached Asterisk');
});
