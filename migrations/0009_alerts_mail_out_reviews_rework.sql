CREATE TABLE `alerts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`code` text NOT NULL,
	`ticket_id` integer,
	`call_id` text,
	`summary` text NOT NULL,
	`data` text,
	`dedupe_key` text,
	`created_at` integer NOT NULL,
	`push_count` integer DEFAULT 1 NOT NULL,
	`last_pushed_at` integer NOT NULL,
	`emailed_at` integer,
	`acknowledged_at` integer,
	`acknowledged_by` text,
	`ack_note` text,
	FOREIGN KEY (`ticket_id`) REFERENCES `tickets`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `alerts_open_idx` ON `alerts` (`acknowledged_at`,`last_pushed_at`);--> statement-breakpoint
CREATE INDEX `alerts_ticket_idx` ON `alerts` (`ticket_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `alerts_dedupe_uq` ON `alerts` (`dedupe_key`);--> statement-breakpoint
CREATE TABLE `mail_outbox` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`purpose` text NOT NULL,
	`ticket_id` integer,
	`alert_id` integer,
	`to_address` text NOT NULL,
	`subject` text NOT NULL,
	`body` text NOT NULL,
	`message_id` text NOT NULL,
	`in_reply_to` text,
	`references` text,
	`reply_to` text,
	`created_at` integer NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer NOT NULL,
	`last_error` text,
	`sent_at` integer,
	`failed_at` integer,
	FOREIGN KEY (`ticket_id`) REFERENCES `tickets`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `mail_outbox_message_id_uq` ON `mail_outbox` (`message_id`);--> statement-breakpoint
CREATE INDEX `mail_outbox_pending_idx` ON `mail_outbox` (`sent_at`,`failed_at`,`next_attempt_at`);--> statement-breakpoint
CREATE INDEX `mail_outbox_ticket_idx` ON `mail_outbox` (`ticket_id`);--> statement-breakpoint
ALTER TABLE `kb_online_questions` ADD `entry_ids` text DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE `tickets` ADD `drafted_by_user_id` integer;--> statement-breakpoint
ALTER TABLE `tickets` ADD `rework_count` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `tickets` ADD `supervision_reason` text;--> statement-breakpoint
ALTER TABLE `tickets` ADD `instructed_by` text;--> statement-breakpoint
ALTER TABLE `tickets` ADD `coordination_due_at` integer;