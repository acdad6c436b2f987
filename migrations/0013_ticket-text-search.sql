-- Ticket text search (GET /api/tickets?q=), FTS5. Text is pre-tokenized in JS
-- (src/tickets/search-terms.ts) into pairs of Han characters and lowercased words, so
-- unicode61 only splits on spaces. Contentless: the text lives in tickets; rowid = tickets.id.
-- `masked`: the text as a viewer who does not work the ticket reads it; `extra`: the
-- full text of the fields masking changed. Kept in step by src/tickets/text-index.ts.
CREATE VIRTUAL TABLE `ticket_search` USING fts5(masked, extra, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 0');
--> statement-breakpoint
-- the tickets written before the index: indexed at start-up (TicketTextIndex.catchUp), then this row goes
CREATE TABLE `ticket_search_backlog` (`below` integer NOT NULL);
--> statement-breakpoint
INSERT INTO `ticket_search_backlog` (`below`) SELECT max(`id`) + 1 FROM `tickets` HAVING count(*) > 0;
