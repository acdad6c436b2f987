import { and, desc, eq } from 'drizzle-orm';
import type { Db } from '../db/index.js';
import type { Actor } from '../shared/actor.js';
import { conflict, forbidden, notFound } from '../shared/errors.js';
import type { EntryService } from './entries.js';
import { kbPhrasingProposals, type PhrasingStatus } from './schema.js';

export type PhrasingProposal = typeof kbPhrasingProposals.$inferSelect;

/** Who reviews proposed phrasings: the info centre keeps the knowledge base. */
export const PHRASING_REVIEWERS: readonly Actor['role'][] = ['admin'];

/**
 * The learning loop: a citizen's question an operator tied to an entry becomes a
 * proposed 相似问法 of it; the info centre accepts it (a new version of the entry) or
 * turns it down.
 */
export class Phrasings {
  constructor(
    private readonly db: Db,
    private readonly entries: EntryService,
    private readonly now: () => number,
  ) {}

  /** Proposes a question for an entry; one already proposed, or already among its questions, is not proposed again. */
  propose(entryId: number, question: string, source: { ticketId?: number; onlineQuestionId?: number }, actor: Actor): PhrasingProposal | null {
    const text = question.replace(/\s+/g, ' ').trim().slice(0, 200);
    if (!text) return null;
    const entry = this.entries.mustGet(entryId);
    if (entry.questions.includes(text) || entry.title === text) return null;
    const [row] = this.db
      .insert(kbPhrasingProposals)
      .values({ entryId, question: text, ticketId: source.ticketId ?? null, onlineQuestionId: source.onlineQuestionId ?? null, proposedBy: actor.name, proposedAt: this.now() })
      .onConflictDoNothing()
      .returning()
      .all();
    return row ?? null;
  }

  list(filter: { status?: PhrasingStatus; entryId?: number; limit: number }): PhrasingProposal[] {
    return this.db
      .select()
      .from(kbPhrasingProposals)
      .where(and(filter.status ? eq(kbPhrasingProposals.status, filter.status) : undefined, filter.entryId ? eq(kbPhrasingProposals.entryId, filter.entryId) : undefined))
      .orderBy(desc(kbPhrasingProposals.id))
      .limit(filter.limit)
      .all();
  }

  /** Accepts (the question joins the entry's questions in a new version) or rejects a proposal. */
  decide(id: number, accept: boolean, actor: Actor): PhrasingProposal {
    if (!PHRASING_REVIEWERS.includes(actor.role)) throw forbidden(`审核相似问法需要以下角色之一：${PHRASING_REVIEWERS.join('、')}`);
    return this.db.transaction((tx) => {
      const p = tx.select().from(kbPhrasingProposals).where(eq(kbPhrasingProposals.id, id)).get();
      if (!p) throw notFound('相似问法建议');
      if (p.status !== 'proposed') throw conflict(`该建议已处理（${p.status}）`);
      let acceptedVersion: number | null = null;
      if (accept) {
        const entry = this.entries.mustGet(p.entryId);
        const edited = this.entries.edit(entry.id, { questions: [...entry.questions, p.question] }, actor, undefined, `采纳相似问法：${p.question}`);
        acceptedVersion = edited.version;
      }
      const [row] = tx
        .update(kbPhrasingProposals)
        .set({ status: accept ? 'accepted' : 'rejected', decidedBy: actor.name, decidedAt: this.now(), acceptedVersion })
        .where(eq(kbPhrasingProposals.id, id))
        .returning()
        .all();
      return row;
    });
  }
}
