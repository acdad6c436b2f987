-- Knowledge-base full-text index (FTS5). Text is pre-tokenized in JS (src/kb/tokenize.ts)
-- into CJK character pairs and lowercased words, so unicode61 only splits on spaces.
-- Contentless: the entry text lives in kb_entries; rowid = kb_entries.id.
-- Kept in step with kb_entries by src/kb/search-index.ts inside each write's transaction.
CREATE VIRTUAL TABLE `kb_fts` USING fts5(title, keywords, body, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 0');
--> statement-breakpoint
-- document frequency of each token, for weighting the words of a citizen's question
CREATE VIRTUAL TABLE `kb_fts_vocab` USING fts5vocab(kb_fts, 'row');
