import type { Db } from '../db/index.js';
import { systemActor, type Actor } from '../shared/actor.js';
import { badRequest, conflict, notFound } from '../shared/errors.js';
import { shanghaiDate } from '../shared/time.js';
import type { TicketService } from '../tickets/services.js';
import { answerQuestion, scoreAnswers, type Outcome, type ScoredEntry } from './answer.js';
import { EntryService } from './entries.js';
import { TicketLinks } from './links.js';
import { OnlineQuestions } from './online-questions.js';
import { Phrasings } from './phrasings.js';
import type { KbCategory, KbType } from './schema.js';
import { OUT_OF_SCOPE_MESSAGE } from './scope.js';
import { KbSearchIndex, type Visibility } from './search-index.js';
import { searchEntries, snippet, type SearchResult } from './search.js';
import { SynonymStore } from './synonyms.js';
import { runs } from './tokenize.js';

export interface SearchRequest {
  q: string;
  type?: KbType;
  category?: KbCategory;
  limit?: number;
  /** staff only: also entries not published or not in effect */
  includeDrafts?: boolean;
}

export interface AnsweredEntry {
  id: number;
  title: string;
  snippet: string;
  body: string;
  type: KbType;
  category: KbCategory;
  confidence: number;
}

export interface OnlineAnswer {
  /** the best entry answers the question (confidence at or above the threshold) */
  answered: boolean;
  outcome: Outcome;
  /** the best entry's confidence, 0 when nothing came close */
  confidence: number;
  /** best first: answered, the first is the answer and the others "您是不是想问"; suggested, the choices */
  entries: AnsweredEntry[];
  /** the question as recorded, to leave it as a ticket with POST /api/answer/ticket */
  questionId: number;
  /** a ticket is opened only when the citizen leaves the question (POST /api/answer/ticket) */
  ticket: null;
  message: string;
}

export interface LeftQuestion {
  questionId: number;
  name?: string;
  phone?: string;
  email?: string;
}

const MESSAGES: Record<Outcome, string> = {
  answered: '为您找到以下答复。如仍有疑问，可以看看下面的相关问题，或拨打962200。',
  suggested: '没有找到完全对应的答复。您是不是想问下面这些问题？如果都不是，可以留下电话或邮箱，由工作人员答复您。',
  unanswered: '暂未找到能回答您问题的内容。您可以留下电话或邮箱，登记为工单，由工作人员答复您；也可以拨打962200。',
  out_of_scope: OUT_OF_SCOPE_MESSAGE,
};

/** A mainland mobile (11 digits from 1[3-9]) or a landline with its area code (0xx[x]-7/8 digits) */
const PHONE = /^(?:1[3-9]\d{9}|0\d{2,3}-?\d{7,8}(?:-\d{1,6})?|\d{7,8})$/;
const EMAIL = /^[^@\s]{1,64}@[^@\s.]+(?:\.[^@\s.]+)+$/;

/** The citizen's way back: a phone number or an e-mail address, at least one, each well-formed (400 naming the field). */
export function checkContact(input: { phone?: string; email?: string }): { phone: string | null; email: string | null } {
  const phone = input.phone?.replace(/[\s()（）]/g, '').replace(/^\+?86-?/, '') || null;
  const email = input.email?.trim().toLowerCase() || null;
  if (!phone && !email) throw badRequest('phone / email: 请留下电话号码或电子邮箱（至少一项），以便工作人员答复您');
  if (phone && !PHONE.test(phone)) throw badRequest('phone: 电话号码格式不正确，请填写11位手机号码或带区号的固定电话（如 021-12345678）');
  if (email && (email.length > 200 || !EMAIL.test(email))) throw badRequest('email: 电子邮箱格式不正确（如 name@example.com）');
  return { phone, email };
}

/**
 * The knowledge base (第十八条): entries and their publish states, Chinese matching,
 * online smart answering (第十二条), which entries answered which tickets, and the
 * learning loop from the desk back into the entries' questions.
 */
export class KnowledgeBase {
  readonly index: KbSearchIndex;
  readonly entries: EntryService;
  readonly synonyms: SynonymStore;
  readonly links: TicketLinks;
  readonly online: OnlineQuestions;
  readonly phrasings: Phrasings;

  constructor(
    db: Db,
    private readonly tickets: TicketService,
    private readonly now: () => number = Date.now,
  ) {
    this.synonyms = new SynonymStore(db, now);
    this.index = new KbSearchIndex(db.$client, () => this.synonyms.vocabulary());
    this.entries = new EntryService(db, this.index, now);
    this.links = new TicketLinks(db, now);
    this.online = new OnlineQuestions(db, now);
    this.phrasings = new Phrasings(db, this.entries, now);
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
    return searchEntries(this.index, req.q, {
      visibility: this.visibility(actor, req.includeDrafts),
      type: req.type,
      category: req.category,
      limit: req.limit ?? 10,
    });
  }

  /** Entries that may answer a ticket, by the same matching as online answering. */
  suggestForTicket(text: string, limit = 5): ScoredEntry[] {
    if (runs(text).length === 0) return [];
    return scoreAnswers(this.index, text, this.today(), limit).scored;
  }

  /**
   * Online smart answering (在线智能应答): the best published entry and two more to choose
   * from; below the threshold only the choices; out of scope, a pointer to 12345. Every
   * question is recorded; no ticket is opened here (see leaveQuestion).
   */
  answer(input: { question: string }): OnlineAnswer {
    const question = input.question.trim();
    if (runs(question).length === 0) throw badRequest('question（问题）须含有汉字、字母或数字');
    const result = answerQuestion(this.index, question, this.today());
    const row = this.online.record(question, result.outcome, result.confidence, result.entries.map((e) => e.entry.id));
    const needles = this.index.queryTerms(question).filter((t) => t.df > 0).map((t) => t.term);
    return {
      answered: result.outcome === 'answered',
      outcome: result.outcome,
      confidence: result.confidence,
      entries: result.entries.map(({ entry, confidence }) => ({ id: entry.id, title: entry.title, snippet: snippet(entry.body, needles), body: entry.body, type: entry.type, category: entry.category, confidence })),
      questionId: row.id,
      ticket: null,
      message: MESSAGES[result.outcome],
    };
  }

  /** The citizen chose to leave their question: an `online` ticket with their phone or e-mail. */
  leaveQuestion(input: LeftQuestion): { ticket: { id: number; number: string }; message: string } {
    const contact = checkContact(input);
    const q = this.online.get(input.questionId);
    if (!q) throw notFound('在线提问');
    if (q.ticketId) throw conflict('该问题已经登记为工单，请勿重复提交');
    const ticket = this.tickets.create(
      {
        source: 'online',
        title: Array.from(q.question).slice(0, 30).join(''),
        content: q.question,
        callerName: input.name ?? null,
        callerNumber: contact.phone,
        callerEmail: contact.email,
        needsCallback: !!contact.phone,
      },
      systemActor('online'),
      { via: 'online-answer' },
    );
    this.online.setTicket(q.id, ticket.id);
    return { ticket: { id: ticket.id, number: ticket.number }, message: `已为您登记工单 ${ticket.number}，工作人员会尽快答复。凭工单号可以拨打962200查询进度。` };
  }

  /** An operator says which entry answers an online question: it is proposed as a new phrasing of that entry. */
  linkOnlineQuestion(questionId: number, entryId: number, actor: Actor) {
    const q = this.online.get(questionId);
    if (!q) throw notFound('在线提问');
    const entry = this.entries.mustGet(entryId);
    if (entry.status !== 'published') throw conflict('只有已发布的条目可以答复问题');
    this.online.setLinked(q.id, entry.id, actor);
    return this.phrasings.propose(entry.id, q.question, { onlineQuestionId: q.id, ticketId: q.ticketId ?? undefined }, actor);
  }
}
