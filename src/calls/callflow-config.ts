import { readFileSync } from 'node:fs';
import { Type, type Static, type TSchema } from 'typebox';
import { Value } from 'typebox/value';

// The IVR and the queues are data (config/ivr.json, config/queues.json), checked at
// start-up: a bad file stops the server with a message naming the bad node.

const QueueTarget = Type.Object(
  {
    queue: Type.String({ minLength: 1 }),
    category: Type.String({ minLength: 1 }),
    subcategory: Type.Optional(Type.String({ minLength: 1 })),
    /** priority: emergency first, alert the supervisor */
    emergency: Type.Optional(Type.Boolean()),
    /** community life: the caller's own street seats when the street is known */
    streetRouting: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type QueueTarget = Static<typeof QueueTarget>;

const Menu = Type.Object(
  {
    /** what the pages call the menu (主菜单…) */
    label: Type.Optional(Type.String({ minLength: 1 })),
    /** a sound id as Asterisk plays it (sound:<prompt>): ivr/welcome, not ivr/welcome.wav or a path */
    prompt: Type.String({ minLength: 1, pattern: '^[\\w-]+(/[\\w-]+)*$' }),
    options: Type.Record(Type.String({ pattern: '^[0-9#]$' }), Type.Union([Type.String({ minLength: 1 }), QueueTarget])),
  },
  { additionalProperties: false },
);
export type Menu = Static<typeof Menu>;

const IvrConfig = Type.Object(
  {
    $comment: Type.Optional(Type.String()),
    start: Type.String({ minLength: 1 }),
    digitTimeoutSeconds: Type.Number({ minimum: 1, maximum: 60 }),
    maxTries: Type.Integer({ minimum: 1, maximum: 10 }),
    onFailure: QueueTarget,
    menus: Type.Record(Type.String({ minLength: 1 }), Menu),
  },
  { additionalProperties: false },
);
export type IvrConfig = Static<typeof IvrConfig>;

const QueueDef = Type.Object(
  {
    name: Type.String(),
    skill: Type.String({ minLength: 1 }),
    maxWaitSeconds: Type.Number({ minimum: 1 }),
    onMaxWait: Type.Union([Type.Literal('callback'), Type.Literal('overflow')]),
    overflowTo: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);
export type QueueDef = Static<typeof QueueDef>;

const QueuesConfig = Type.Object(
  {
    $comment: Type.Optional(Type.String()),
    seats: Type.Object(
      {
        ringTimeoutSeconds: Type.Number({ minimum: 3, maximum: 120 }),
        wrapUpSeconds: Type.Number({ minimum: 0, maximum: 600 }),
        maxMissedInRow: Type.Integer({ minimum: 1, maximum: 20 }),
        /** a screened seat (outside number) has this long after the whisper to press 1 (default 6) */
        screeningTimeoutSeconds: Type.Optional(Type.Number({ minimum: 1, maximum: 60 })),
      },
      { additionalProperties: false },
    ),
    announceEverySeconds: Type.Number({ minimum: 5 }),
    queues: Type.Record(Type.String({ minLength: 1 }), QueueDef),
  },
  { additionalProperties: false },
);
export type QueuesConfig = Static<typeof QueuesConfig>;

export class CallflowConfigError extends Error {
  override name = 'CallflowConfigError';
}

function check<T>(schema: TSchema, value: unknown, file: string): T {
  if (Value.Check(schema, value)) return value as T;
  // the most specific error: the deepest node, and there not "must be string" from the other
  // branch of a union (a menu option is a menu name or a queue target)
  const vague = (e: { keyword?: string }) => e.keyword === 'type' || e.keyword === 'anyOf';
  const depth = (e: { instancePath?: string }) => (e.instancePath ?? '').split('/').length;
  const first = ([...Value.Errors(schema, value)] as Array<{ instancePath?: string; message?: string; keyword?: string }>).reduce<
    { instancePath?: string; message?: string; keyword?: string } | undefined
  >((best, e) => (!best || depth(e) > depth(best) || (depth(e) === depth(best) && vague(best) && !vague(e)) ? e : best), undefined);
  const where = (first?.instancePath ?? '').replace(/^\//, '').replaceAll('/', '.') || '(top level)';
  // TypeBox says "schema is false" of a key that additionalProperties: false forbids
  const message = first?.message === 'schema is false' ? 'unknown key' : (first?.message ?? 'invalid');
  throw new CallflowConfigError(`${file}: ${where}: ${message}`);
}

/** Checks an IVR against the queues it names: every goto and queue must exist. */
export function validateIvr(raw: unknown, queues: QueuesConfig, file = 'ivr.json'): IvrConfig {
  const ivr = check<IvrConfig>(IvrConfig, raw, file);
  // own keys only: a goto "constructor" or a queue "toString" is no menu or queue
  const isMenu = (id: string) => Object.hasOwn(ivr.menus, id);
  if (!isMenu(ivr.start)) throw new CallflowConfigError(`${file}: start: no menu "${ivr.start}"`);
  const checkTarget = (t: QueueTarget, where: string) => {
    if (!Object.hasOwn(queues.queues, t.queue)) throw new CallflowConfigError(`${file}: ${where}: no queue "${t.queue}"`);
  };
  checkTarget(ivr.onFailure, 'onFailure');
  for (const [id, menu] of Object.entries(ivr.menus)) {
    for (const [digit, target] of Object.entries(menu.options)) {
      const where = `menus.${id}.options.${digit}`;
      // '*' always repeats the menu, so it can't be an option
      if (!/^[0-9#]$/.test(digit)) throw new CallflowConfigError(`${file}: ${where}: an option is one digit 0-9 or #`);
      if (typeof target === 'string') {
        if (!isMenu(target)) throw new CallflowConfigError(`${file}: ${where}: no menu "${target}"`);
      } else checkTarget(target, where);
    }
  }
  // menus may lead back to each other, but each must lead on to a queue: a caller is never trapped
  for (const id of Object.keys(ivr.menus)) {
    const seen = new Set([id]);
    const todo = [id];
    let reachesQueue = false;
    while (todo.length && !reachesQueue) {
      for (const target of Object.values(ivr.menus[todo.pop()!].options)) {
        if (typeof target !== 'string') reachesQueue = true;
        else if (!seen.has(target)) {
          seen.add(target);
          todo.push(target);
        }
      }
    }
    if (!reachesQueue) throw new CallflowConfigError(`${file}: menus.${id}: leads to no queue (its options only go to menus, or it has none)`);
  }
  return ivr;
}

export function validateQueues(raw: unknown, file = 'queues.json'): QueuesConfig {
  const q = check<QueuesConfig>(QueuesConfig, raw, file);
  for (const [id, def] of Object.entries(q.queues)) {
    if (def.onMaxWait === 'overflow' && (!def.overflowTo || !Object.hasOwn(q.queues, def.overflowTo))) {
      throw new CallflowConfigError(`${file}: queues.${id}.overflowTo: needs an existing queue`);
    }
  }
  // an overflow chain must end in a queue that offers a callback, or a caller moves round it for ever
  for (const id of Object.keys(q.queues)) {
    const chain = [id];
    for (let at = q.queues[id]; at.onMaxWait === 'overflow'; at = q.queues[at.overflowTo!]) {
      if (chain.includes(at.overflowTo!)) {
        throw new CallflowConfigError(`${file}: queues.${id}.overflowTo: overflow loop ${[...chain, at.overflowTo].join(' → ')}`);
      }
      chain.push(at.overflowTo!);
    }
  }
  if (!Object.hasOwn(q.queues, 'street')) throw new CallflowConfigError(`${file}: queues.street: the street/town seats' queue is required`);
  return q;
}

export interface Callflow {
  ivr: IvrConfig;
  queues: QueuesConfig;
}

const configDir = new URL('../../config/', import.meta.url);

/** Reads config/queues.json and config/ivr.json (or the files named by IVR_CONFIG / QUEUES_CONFIG). */
export function loadCallflow(paths: { ivr?: string; queues?: string } = {}): Callflow {
  const read = (path: string | URL, name: string): unknown => {
    try {
      return JSON.parse(readFileSync(path, 'utf8'));
    } catch (err) {
      throw new CallflowConfigError(`${name}: ${(err as Error).message}`);
    }
  };
  const queuesPath = paths.queues ?? new URL('queues.json', configDir);
  const ivrPath = paths.ivr ?? new URL('ivr.json', configDir);
  const queues = validateQueues(read(queuesPath, String(queuesPath)), String(queuesPath));
  const ivr = validateIvr(read(ivrPath, String(ivrPath)), queues, String(ivrPath));
  return { ivr, queues };
}
