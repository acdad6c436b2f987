import type { Actor } from '../shared/actor.js';
import { conflict, forbidden, badRequest, type HttpError } from '../shared/errors.js';
import type { KbStatus } from './schema.js';

/**
 * Publish states of a knowledge-base entry. Departments write and submit their own
 * entries; admins publish, send back and withdraw. Pure: says what may happen, the
 * service does it.
 */
export const KB_ACTIONS = ['submit', 'publish', 'return', 'withdraw', 'reopen'] as const;
export type KbAction = (typeof KB_ACTIONS)[number];

interface Transition {
  from: readonly KbStatus[];
  to: KbStatus;
  roles: readonly Actor['role'][];
  /** departments may only act on entries of their own department */
  ownOnly: boolean;
  needsReason: boolean;
}

export const KB_TRANSITIONS: Record<KbAction, Transition> = {
  submit: { from: ['draft'], to: 'submitted', roles: ['department', 'admin'], ownOnly: true, needsReason: false },
  publish: { from: ['submitted'], to: 'published', roles: ['admin'], ownOnly: false, needsReason: false },
  // sent back to the department for changes
  return: { from: ['submitted'], to: 'draft', roles: ['admin'], ownOnly: false, needsReason: true },
  // a department may pull its own outdated policy at once, without waiting for an admin
  withdraw: { from: ['published'], to: 'withdrawn', roles: ['department', 'admin'], ownOnly: true, needsReason: true },
  // a withdrawn entry starts a new round as a draft
  reopen: { from: ['withdrawn'], to: 'draft', roles: ['department', 'admin'], ownOnly: true, needsReason: false },
};

interface EntryState {
  status: KbStatus;
  sourceDepartment: string | null;
}

function ownsEntry(actor: Actor, entry: EntryState): boolean {
  if (actor.role !== 'department') return true;
  return !!actor.departmentId && actor.departmentId === entry.sourceDepartment;
}

/** Why the actor may not do this to the entry, or null if they may. */
export function transitionError(actor: Actor, entry: EntryState, action: KbAction, reason?: string | null): HttpError | null {
  const t = KB_TRANSITIONS[action];
  if (!t.roles.includes(actor.role)) return forbidden(`${action} 需要以下角色之一：${t.roles.join('、')}`);
  if (t.ownOnly && !ownsEntry(actor, entry)) return forbidden(`部门只能对本部门的条目执行 ${action}`);
  if (!t.from.includes(entry.status)) {
    return conflict(`条目状态为 ${entry.status}，不能执行 ${action}；${action} 只用于：${t.from.join('、')}`);
  }
  if (t.needsReason && !reason?.trim()) return badRequest(`reason：${action} 需要填写理由`);
  return null;
}

/** Roles that write entries at all. */
export const KB_AUTHORS: readonly Actor['role'][] = ['department', 'admin'];

/**
 * Who may change an entry's content in which state. Departments edit their drafts;
 * admins also correct submitted and published entries (a published entry stays
 * published, with a new version). A withdrawn entry is reopened first.
 */
export function editError(actor: Actor, entry: EntryState): HttpError | null {
  if (!KB_AUTHORS.includes(actor.role)) return forbidden(`编辑条目需要以下角色之一：${KB_AUTHORS.join('、')}`);
  if (!ownsEntry(actor, entry)) return forbidden('部门只能编辑本部门的条目');
  const editable: KbStatus[] = actor.role === 'admin' ? ['draft', 'submitted', 'published'] : ['draft'];
  if (!editable.includes(entry.status)) {
    return conflict(`条目状态为 ${entry.status}，不能编辑；${actor.role} 只能编辑以下状态的条目：${editable.join('、')}`);
  }
  return null;
}
