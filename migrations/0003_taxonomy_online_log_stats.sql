CREATE TABLE `online_questions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` integer NOT NULL,
	`question` text NOT NULL,
	`answered` integer NOT NULL,
	`confidence` real,
	`entry_ids` text,
	`ticket_id` integer
);
--> statement-breakpoint
CREATE INDEX `online_questions_at_idx` ON `online_questions` (`at`);--> statement-breakpoint
CREATE TABLE `hot_term_days` (
	`day` text NOT NULL,
	`origin` text NOT NULL,
	`term` text NOT NULL,
	`count` integer NOT NULL,
	PRIMARY KEY(`day`, `origin`, `term`)
);
--> statement-breakpoint
CREATE TABLE `categories` (
	`id` text PRIMARY KEY NOT NULL,
	`parent_id` text,
	`label` text NOT NULL,
	`position` integer DEFAULT 0 NOT NULL,
	`active` integer DEFAULT true NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `categories_parent_idx` ON `categories` (`parent_id`);--> statement-breakpoint
ALTER TABLE `tickets` ADD `callback_user_id` integer;--> statement-breakpoint
CREATE INDEX `ticket_events_action_at_idx` ON `ticket_events` (`action`,`at`);