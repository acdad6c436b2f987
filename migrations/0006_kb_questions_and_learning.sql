CREATE TABLE `kb_online_questions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`question` text NOT NULL,
	`asked_at` integer NOT NULL,
	`outcome` text NOT NULL,
	`confidence_pct` integer NOT NULL,
	`entry_id` integer,
	`ticket_id` integer,
	`linked_entry_id` integer,
	`linked_by` text,
	FOREIGN KEY (`entry_id`) REFERENCES `kb_entries`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`ticket_id`) REFERENCES `tickets`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`linked_entry_id`) REFERENCES `kb_entries`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `kb_online_questions_outcome_idx` ON `kb_online_questions` (`outcome`,`asked_at`);--> statement-breakpoint
CREATE INDEX `kb_online_questions_asked_idx` ON `kb_online_questions` (`asked_at`);--> statement-breakpoint
CREATE TABLE `kb_phrasing_proposals` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`entry_id` integer NOT NULL,
	`question` text NOT NULL,
	`ticket_id` integer,
	`online_question_id` integer,
	`proposed_by` text NOT NULL,
	`proposed_at` integer NOT NULL,
	`status` text DEFAULT 'proposed' NOT NULL,
	`decided_by` text,
	`decided_at` integer,
	`accepted_version` integer,
	FOREIGN KEY (`entry_id`) REFERENCES `kb_entries`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`ticket_id`) REFERENCES `tickets`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`online_question_id`) REFERENCES `kb_online_questions`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `kb_phrasing_proposals_uq` ON `kb_phrasing_proposals` (`entry_id`,`question`);--> statement-breakpoint
CREATE INDEX `kb_phrasing_proposals_status_idx` ON `kb_phrasing_proposals` (`status`);--> statement-breakpoint
ALTER TABLE `kb_entries` ADD `questions` text DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE `kb_entry_versions` ADD `questions` text DEFAULT '[]' NOT NULL;--> statement-breakpoint
-- Matching moved to an in-memory BM25 index over segmented words and bigrams (src/kb/search-index.ts).
DROP TABLE IF EXISTS `kb_fts_vocab`;--> statement-breakpoint
DROP TABLE IF EXISTS `kb_fts`;
