// The body each lifecycle action takes (TypeBox). Anything else is a 400 and changes nothing.
import { Type, type TSchema } from 'typebox';
import { KINDS, SATISFACTION, type Action } from './lifecycle.js';
import { LIMIT_UNITS } from './limits.js';

/** text with at least one non-blank character */
export const Text = (maxLength: number) => Type.String({ minLength: 1, maxLength, pattern: '\\S' });
const Id = Type.String({ minLength: 1, maxLength: 64, pattern: '^[\\w.:-]+$' });
const Kind = Type.Union(KINDS.map((k) => Type.Literal(k)));
const Satisfaction = Type.Union(SATISFACTION.map((k) => Type.Literal(k)));
const PromisedDays = Type.Integer({ minimum: 0, maximum: 10, description: 'a shorter promised or statutory limit, in working days' });
const Unit = Type.Union(LIMIT_UNITS.map((u) => Type.Literal(u)), { description: 'working days (工作日) or calendar days (自然日)' });
const Days = Type.Integer({ minimum: 1, maximum: 365 });
const Limit = Type.Object(
  { days: Type.Integer({ minimum: 0, maximum: 365 }), unit: Unit, basis: Type.String({ minLength: 1, maxLength: 500, pattern: '\\S', description: 'the legal basis or promise, as text' }) },
  { additionalProperties: false, description: 'a statutory or promised limit that replaces the 10 working days to answer' },
);
/**
 * Where a ticket goes: one department (the lead, with co-handlers) or one street. Which of
 * them is given is checked in workflow.ts, so the 400 names the field instead of a union's noise.
 */
const RouteTarget = {
  departmentId: Type.Optional(Id),
  street: Type.Optional(Text(64)),
  coHandlers: Type.Optional(Type.Array(Id, { minItems: 1, maxItems: 10, uniqueItems: true, description: 'co-handling departments (协办); departmentId is the lead (牵头)' })),
  promisedDays: Type.Optional(PromisedDays),
  limit: Type.Optional(Limit),
};
const Note = Text(2000);
const Long = Text(8000);

const body = (props: Record<string, TSchema>, extra: object = {}) => Type.Object(props, { additionalProperties: false, ...extra });
const noteOnly = body({ note: Type.Optional(Note) });
const reasonOnly = body({ reason: Text(2000) });

export const ACTION_BODIES: Record<Action, TSchema> = {
  classify: body(
    { kind: Type.Optional(Kind), category: Type.Optional(Text(64)), subcategory: Type.Optional(Text(64)), reason: Type.Optional(Text(2000)) },
    { minProperties: 1 },
  ),
  take: body({}),
  answer: body({ reply: Long }),
  draft_reply: body({ draft: Long }),
  approve: noteOnly,
  send_back: reasonOnly,
  give_reply: noteOnly,
  route: body({ ...RouteTarget, note: Type.Optional(Note) }),
  recall: reasonOnly,
  reroute: body({ ...RouteTarget, reason: Text(2000) }),
  record_part: body({ part: Long }),
  request_coordination: reasonOnly,
  answer_coordination: body({ answer: Long }),
  request_extension: body({ days: Days, unit: Type.Optional(Unit), reason: Text(2000) }),
  grant_extension: body({ days: Type.Optional(Days), unit: Type.Optional(Unit), note: Type.Optional(Note) }),
  refuse_extension: reasonOnly,
  accept: noteOnly,
  bounce: reasonOnly,
  contact: body({ note: Note }),
  resolve: body({ result: Long }),
  callback: body({
    satisfaction: Satisfaction,
    note: Type.Optional(Note),
    superviseNow: Type.Optional(Type.Boolean({ description: 'a supervisor opens the 督办 at once instead of sending it back to rework' })),
  }),
  close: noteOnly,
  reopen: reasonOnly,
  supervise: body({
    reason: Text(2000),
    leaderInstruction: Type.Optional(
      Type.Object({ by: Text(64) }, { additionalProperties: false, description: "a 督办 for a leader's instruction (领导批示): who instructed" }),
    ),
  }),
  take_spot_check: body({}),
  spot_check: body({ satisfaction: Satisfaction, note: Type.Optional(Note) }),
  start_supervision: body({ note: Note, departmentId: Type.Optional(Id), street: Type.Optional(Text(64)), promisedDays: Type.Optional(PromisedDays) }),
  respond: body({ result: Long }),
  dispatch: body({ note: Note }),
  coordinate: body({ organisation: Text(128), note: Note }),
  return_to_12345: reasonOnly,
};

export const CreateTicketBody = body({
  kind: Type.Optional(Kind),
  category: Type.Optional(Text(64)),
  subcategory: Type.Optional(Text(64)),
  callerNumber: Type.Optional(Type.String({ minLength: 3, maxLength: 32, pattern: '^\\+?[0-9-]+$' })),
  callerName: Type.Optional(Text(64)),
  callerEmail: Type.Optional(Type.String({ maxLength: 254, pattern: '^[^@\\s]+@[^@\\s]+$' })),
  address: Type.Optional(Text(256)),
  street: Type.Optional(Text(64)),
  district: Type.Optional(Text(64)),
  title: Type.Optional(Text(200)),
  content: Long,
  parentTicketId: Type.Optional(Type.Integer({ minimum: 1, description: 'the ticket a supervised ticket supervises' })),
});

/** PATCH /api/tickets/:id: the text an agent records while talking to the caller. */
export const EditTicketBody = body(
  { title: Type.Optional(Text(200)), callerName: Type.Optional(Text(64)), address: Type.Optional(Text(256)), content: Type.Optional(Long) },
  { minProperties: 1 },
);
