// Records one online question and what it got. Called by POST /api/answer after the
// answer is made; a failure here is logged by the caller and never costs the citizen the answer.
import type { Db } from '../db/index.js';
import { onlineQuestions } from './schema.js';

export interface OnlineQuestionRecord {
  at: number;
  question: string;
  answered: boolean;
  confidence: number | null;
  entryIds: number[];
  ticketId: number | null;
}

export function recordOnlineQuestion(db: Db, q: OnlineQuestionRecord): void {
  db.insert(onlineQuestions)
    .values({ at: q.at, question: q.question.trim(), answered: q.answered, confidence: q.confidence, entryIds: q.entryIds, ticketId: q.ticketId })
    .run();
}
