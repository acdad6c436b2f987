import type { Db } from '../db/index.js';
import { systemActor, type Actor } from '../shared/actor.js';
import { badRequest } from '../shared/errors.js';
import { shanghaiDate } from '../shared/time.js';
import type { Ticket, TicketService } from '../tickets/services.js';
import { ANSWER_CONFIDENCE, scoreAnswers } from './answer.js';
import { EntryService } from './entries.js';
import { TicketLinks } from './links.js';
import type { KbCategory, KbType } from './schema.js';
import { KbSearchIndex, type Visibility } from './search-index.js';
import { searchEntries, snippet, type SearchResult } from './search.js';
import { SynonymStore } from './synonyms.js';
import { queryTokens, runs, stripFiller } from './tokenize.js';

export interface SearchRequest {
  q: string;
  type?: KbType;
  category?: KbCategory;
  limit?: number;
  /** staff only: also entries not published or not in effect */
  includeDrafts?: boolean;
}

export interface OnlineQuestion {
  question: string;
  name?: string;
  phone?: string;
  email?: string;
}

export interface AnsweredEntry {
  id: number;
  title: string;
  snippet: string;
  type: KbType;
  category: KbCategory;
  confidence: number;
}

export interface OnlineAnswer {
  answered: boolean;
  /** the best entry's confidence, 0 when nothing came close */
  confidence: number;
  entries: AnsweredEntry[];
  /** opened when nothing answered well enough */
  ticket: { id: number; number: string } | null;
  message: string;
}

/**
 * The knowledge base (第十八条 bis): entries and their publish states, Chinese
 * search, online smart answering, and which entries answered which tickets.
 */
export class KnowledgeBase {
  readonly index: KbSearchIndex;
  readonly entries: EntryService;
  readonly synonyms: SynonymStore;
  readonly links: TicketLinks;

  constructor(
    db: Db,
    private readonly tickets: TicketService,
    private readonly now: () => number = Date.now,
  ) {
    this.index = new KbSearchIndex(db.$client);
    this.entries = new EntryService(db, this.index, now);
    this.synonyms = new SynonymStore(db, now);
    this.links = new TicketLinks(db, now);
  }

  today(): string {
    return shanghaiDate(this.now());
  }

  /** What a reader may find: citizens (no actor) and staff by default only what is published and in effect. */
  visibility(actor: Actor | null, includeDrafts = false): Visibility {
    if (!actor || !includeDrafts) return { kind: 'public', today: this.today() };
    if (actor.role === 'department') return actor.departmentId ? { kind: 'department', departmentId: actor.departmentId } : { kind: 'public', today: this.today() };
    return { kind: 'all' };
  }

  search(req: SearchRequest, actor: Actor | null): SearchResult {
    return searchEntries(this.index, req.q, this.synonyms.groups(), {
      visibility: this.visibility(actor, req.includeDrafts),
      type: req.type,
      category: req.category,
      limit: req.limit ?? 10,
    });
  }

  /**
   * Online smart answering (在线智能应答): the best published entries, or, when none
   * is good enough, an `online` ticket so a person answers (§4).
   */
  answer(input: OnlineQuestion): OnlineAnswer {
    const question = input.question.trim();
    if (runs(question).length === 0) throw badRequest('question has no letters, digits or Chinese characters');
    const scored = scoreAnswers(this.index, question, this.synonyms.groups(), this.today());
    const needles = queryTokens(stripFiller(question));
    const best = scored[0]?.confidence ?? 0;
    // only entries close to the best: a weak third answer distracts more than it helps
    const good = scored.filter((s) => s.confidence >= Math.max(ANSWER_CONFIDENCE, best - 0.3)).slice(0, 3);
    if (good.length > 0) {
      return {
        answered: true,
        confidence: best,
        entries: good.map(({ hit, confidence }) => ({ id: hit.id, title: hit.title, snippet: snippet(hit.body, needles), type: hit.type, category: hit.category, confidence })),
        ticket: null,
        message: '为您找到以下相关内容。如仍有疑问，请拨打962200。',
      };
    }
    const ticket = this.openTicket(input, question);
    return {
      answered: false,
      confidence: best,
      entries: [],
      ticket: { id: ticket.id, number: ticket.number },
      message: `暂未找到能回答您问题的内容，已为您登记工单 ${ticket.number}，工作人员会尽快答复。`,
    };
  }

  private openTicket(input: OnlineQuestion, question: string): Ticket {
    return this.tickets.create(
      {
        source: 'online',
        title: Array.from(question).slice(0, 30).join(''),
        content: question,
        callerName: input.name ?? null,
        callerNumber: input.phone ?? null,
        callerEmail: input.email ?? null,
        needsCallback: !!input.phone,
      },
      systemActor('online'),
      { via: 'online-answer' },
    );
  }
}
