// What the ticket text search (text-index.ts) stores and asks for. Pure, no database.
//
// Chinese has no spaces, so a text is cut the way the knowledge base cuts it
// (src/kb/tokenize.ts): every run of Han characters into overlapping pairs, plus the
// run's last character alone (低保申请 → 低保 保申 申请 请); other letters and digits
// are words. A two-character word is then one term, a longer one a phrase of pairs that
// must follow each other, and a single character a prefix (every pair it starts, or the
// run end it is). No dictionary: a ticket's own words (street names, estates) are found
// as well as common ones.
import { pairs, runs } from '../kb/tokenize.js';

/** the most pieces (Han runs or words) a query may have */
export const MAX_QUERY_PIECES = 12;

/** The terms of a text, space-separated: what the FTS5 column holds. */
export function indexTerms(texts: ReadonlyArray<string | null | undefined>): string {
  const out: string[] = [];
  for (const text of texts) {
    if (!text) continue;
    for (const run of runs(text)) {
      if (run.kind === 'word') {
        out.push(run.text);
        continue;
      }
      const chars = Array.from(run.text);
      out.push(...pairs(run.text));
      if (chars.length > 1) out.push(chars[chars.length - 1]);
    }
  }
  return out.join(' ');
}

/**
 * The FTS5 query for what a person typed: every piece must be there (AND). Null when
 * it holds no letter, digit or Han character. Terms are quoted: they are letters and
 * digits only, so no FTS5 syntax (AND, NOT, quotes, columns) gets through.
 */
export function matchExpression(q: string): string | null {
  const pieces = runs(q).slice(0, MAX_QUERY_PIECES);
  if (!pieces.length) return null;
  return pieces
    .map((run) => {
      if (run.kind === 'word') return `"${run.text}"*`;
      const chars = Array.from(run.text);
      return chars.length === 1 ? `"${run.text}"*` : `"${pairs(run.text).join(' ')}"`;
    })
    .join(' AND ');
}

/** How many pieces the query has (a query of more than MAX_QUERY_PIECES is refused). */
export function queryPieces(q: string): number {
  return runs(q).length;
}
