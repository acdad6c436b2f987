import { Type } from 'typebox';
import { iso } from '../shared/time.js';
import type { Entry, EntryEvent, EntryVersion } from './entries.js';
import { KB_ACTIONS } from './lifecycle.js';
import { KB_CATEGORIES, KB_STATUSES, KB_TYPES } from './schema.js';

// JSON schemas of the knowledge-base API, and the views that fill them.

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

export const KbTypeSchema = Type.Enum(KB_TYPES, { description: 'policy 政策 | interpretation 政策解读 | qa 问答 | guide 办事指南 | service 服务 | agency 服务机构' });
export const KbCategorySchema = Type.Enum(KB_CATEGORIES, {
  description: 'social_assistance 社会救助 | social_welfare 社会福利 | special_care 优抚安置 | marriage 婚姻登记 | adoption 收养登记 | community_life 社区生活 | other',
});
export const KbStatusSchema = Type.Enum(KB_STATUSES);
export const KbActionSchema = Type.Enum(KB_ACTIONS);
const DAY_PATTERN = '^\\d{4}-\\d{2}-\\d{2}$';
export const Day = Type.String({ pattern: DAY_PATTERN, description: 'YYYY-MM-DD, a Shanghai calendar day' });
const LastDay = Type.String({ pattern: DAY_PATTERN, description: 'YYYY-MM-DD, the last Shanghai day the entry is in effect' });
const Keywords = Type.Array(Type.String({ minLength: 1, maxLength: 40 }), { maxItems: 30 });
const Questions = Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { maxItems: 100, description: '相似问法: the ways citizens ask for this entry' });

/** The fields an author writes. */
const contentFields = {
  type: KbTypeSchema,
  category: KbCategorySchema,
  title: Type.String({ minLength: 1, maxLength: 200 }),
  body: Type.String({ minLength: 1, maxLength: 20_000 }),
  keywords: Type.Optional(Keywords),
  questions: Type.Optional(Questions),
  effectiveFrom: Type.Optional(Nullable(Day)),
  effectiveUntil: Type.Optional(Nullable(LastDay)),
  sourceDepartment: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 64 }))),
};

export const NewEntryBody = Type.Object(
  { ...contentFields, ref: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 100 }))) },
  { additionalProperties: false },
);

export const EditEntryBody = Type.Object(
  {
    type: Type.Optional(KbTypeSchema),
    category: Type.Optional(KbCategorySchema),
    title: Type.Optional(contentFields.title),
    body: Type.Optional(contentFields.body),
    keywords: Type.Optional(Keywords),
    questions: Type.Optional(Questions),
    effectiveFrom: Type.Optional(Nullable(Day)),
    effectiveUntil: Type.Optional(Nullable(LastDay)),
    sourceDepartment: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 64 }))),
    expectedVersion: Type.Optional(Type.Integer({ minimum: 1, description: 'refuse (409) unless the entry is still at this version' })),
    note: Type.Optional(Type.String({ maxLength: 500, description: 'what changed, kept with the version' })),
  },
  { additionalProperties: false, minProperties: 1 },
);

/** An exported entry can be imported again: its id, status and version are ignored then. */
export const ImportEntry = Type.Object(
  {
    ...contentFields,
    ref: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 100 }))),
    id: Type.Optional(Type.Integer()),
    status: Type.Optional(KbStatusSchema),
    version: Type.Optional(Type.Integer()),
  },
  { additionalProperties: false },
);

export const ImportBody = Type.Object(
  { format: Type.Optional(Type.Literal('hotline-kb/1')), entries: Type.Array(ImportEntry, { minItems: 1, maxItems: 2000 }) },
  { additionalProperties: false },
);

export const EntrySchema = Type.Object({
  id: Type.Integer(),
  ref: Nullable(Type.String()),
  type: KbTypeSchema,
  category: KbCategorySchema,
  title: Type.String(),
  body: Type.String(),
  keywords: Type.Array(Type.String()),
  questions: Type.Array(Type.String()),
  effectiveFrom: Nullable(Type.String()),
  effectiveUntil: Nullable(Type.String()),
  sourceDepartment: Nullable(Type.String()),
  status: KbStatusSchema,
  version: Type.Integer(),
  createdBy: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
  publishedAt: Nullable(Type.String({ format: 'date-time' })),
});

export const VersionSchema = Type.Object({
  version: Type.Integer(),
  type: KbTypeSchema,
  category: KbCategorySchema,
  title: Type.String(),
  body: Type.String(),
  keywords: Type.Array(Type.String()),
  questions: Type.Array(Type.String()),
  effectiveFrom: Nullable(Type.String()),
  effectiveUntil: Nullable(Type.String()),
  sourceDepartment: Nullable(Type.String()),
  editedBy: Type.String(),
  editedAt: Type.String({ format: 'date-time' }),
  note: Nullable(Type.String()),
});

export const EventSchema = Type.Object({
  at: Type.String({ format: 'date-time' }),
  actor: Type.String(),
  action: Type.String(),
  fromStatus: Nullable(Type.String()),
  toStatus: Nullable(Type.String()),
  version: Type.Integer(),
  reason: Nullable(Type.String()),
});

export const SearchItemSchema = Type.Object({
  id: Type.Integer(),
  title: Type.String(),
  snippet: Type.String(),
  score: Type.Number({ description: 'higher is better; compare within one search only' }),
  type: KbTypeSchema,
  category: KbCategorySchema,
  status: KbStatusSchema,
});

export const SynonymGroupSchema = Type.Object({
  id: Type.Integer(),
  terms: Type.Array(Type.String()),
  updatedBy: Type.String(),
  updatedAt: Type.String({ format: 'date-time' }),
});

export const SynonymBody = Type.Object({ terms: Type.Array(Type.String({ minLength: 1, maxLength: 40 }), { minItems: 2, maxItems: 20 }) }, { additionalProperties: false });

export const TicketLinkSchema = Type.Object({
  ticketId: Type.Integer(),
  entryId: Type.Integer(),
  linkedBy: Type.String(),
  linkedAt: Type.String({ format: 'date-time' }),
});

export const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });

export function entryView(e: Entry) {
  return { ...e, createdAt: iso(e.createdAt)!, updatedAt: iso(e.updatedAt)!, publishedAt: iso(e.publishedAt) };
}

export function versionView(v: EntryVersion) {
  return { ...v, editedAt: iso(v.editedAt)! };
}

export function eventView(e: EntryEvent) {
  return { ...e, at: iso(e.at)! };
}
