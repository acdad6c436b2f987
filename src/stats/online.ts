// Online answering in the figures (第十二条): questions asked in a period, how many the
// knowledge base answered, tickets opened for the rest, and the questions asked most
// that nothing answered (the knowledge base's gaps). Read from kb_online_questions, where
// answering records every question (src/kb/online-questions.ts).
import { sql } from 'drizzle-orm';
import type { Db } from '../db/index.js';
import type { Period } from './period.js';

export interface OnlineFigures {
  asked: number;
  answered: number;
  unanswered: number;
  /** answered ÷ asked */
  answerRate: number | null;
  ticketsOpened: number;
  topUnanswered: Array<{ question: string; count: number; lastAt: string }>;
}

export function onlineFigures(db: Db, p: Period, limit: number): OnlineFigures {
  const t = db.get<{ asked: number; answered: number; tickets: number }>(sql`
    select count(*) as asked, coalesce(sum(outcome = 'answered'), 0) as answered, count(ticket_id) as tickets
    from kb_online_questions where asked_at >= ${p.start} and asked_at < ${p.end}`);
  const asked = Number(t?.asked ?? 0);
  const answered = Number(t?.answered ?? 0);
  const top = db.all<{ question: string; n: number; last: number }>(sql`
    select question, count(*) as n, max(asked_at) as last from kb_online_questions
    where asked_at >= ${p.start} and asked_at < ${p.end} and outcome <> 'answered'
    group by question order by n desc, last desc limit ${limit}`);
  return {
    asked,
    answered,
    unanswered: asked - answered,
    answerRate: asked ? answered / asked : null,
    ticketsOpened: Number(t?.tickets ?? 0),
    topUnanswered: top.map((r) => ({ question: r.question, count: Number(r.n), lastAt: new Date(Number(r.last)).toISOString() })),
  };
}
