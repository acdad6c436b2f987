CREATE TABLE `audit_log` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` integer NOT NULL,
	`user_id` integer,
	`username` text,
	`action` text NOT NULL,
	`ticket_id` integer,
	`detail` text
);
--> statement-breakpoint
CREATE INDEX `audit_ticket_idx` ON `audit_log` (`ticket_id`);--> statement-breakpoint
CREATE TABLE `users` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`username` text NOT NULL,
	`display_name` text,
	`password_hash` text NOT NULL,
	`role` text NOT NULL,
	`street` text,
	`department_id` text,
	`seat_id` text,
	`active` integer DEFAULT true NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `users_username_uq` ON `users` (`username`);--> statement-breakpoint
CREATE TABLE `calls` (
	`id` text PRIMARY KEY NOT NULL,
	`ticket_id` integer NOT NULL,
	`origin` text DEFAULT 'ari' NOT NULL,
	`source` text DEFAULT 'phone' NOT NULL,
	`caller_number` text,
	`caller_name` text,
	`dialed_number` text,
	`started_at` integer NOT NULL,
	`answered_at` integer,
	`ivr_path` text,
	`category` text,
	`subcategory` text,
	`queue` text,
	`priority` integer,
	`enqueued_at` integer,
	`offered_at` integer,
	`seat_id` text,
	`seat_answered_at` integer,
	`ended_at` integer,
	`outcome` text,
	`hangup_cause` text,
	`recording_name` text,
	`voicemail_name` text,
	`wait_seconds` integer,
	`talk_seconds` integer,
	`rating` text,
	FOREIGN KEY (`ticket_id`) REFERENCES `tickets`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `calls_ticket_idx` ON `calls` (`ticket_id`);--> statement-breakpoint
CREATE INDEX `calls_started_idx` ON `calls` (`started_at`);--> statement-breakpoint
CREATE TABLE `mail_messages` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`message_id` text NOT NULL,
	`ticket_id` integer NOT NULL,
	`from_address` text,
	`subject` text,
	`received_at` integer NOT NULL,
	FOREIGN KEY (`ticket_id`) REFERENCES `tickets`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `mail_messages_message_id_uq` ON `mail_messages` (`message_id`);--> statement-breakpoint
CREATE INDEX `mail_messages_ticket_idx` ON `mail_messages` (`ticket_id`);--> statement-breakpoint
CREATE TABLE `outbox_12345` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`message_id` text NOT NULL,
	`ticket_id` integer NOT NULL,
	`event_id` integer,
	`kind` text NOT NULL,
	`body` text NOT NULL,
	`created_at` integer NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer NOT NULL,
	`last_error` text,
	`delivered_at` integer,
	FOREIGN KEY (`ticket_id`) REFERENCES `tickets`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`event_id`) REFERENCES `ticket_events`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `outbox_12345_message_id_uq` ON `outbox_12345` (`message_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `outbox_12345_event_uq` ON `outbox_12345` (`event_id`);--> statement-breakpoint
CREATE INDEX `outbox_12345_pending_idx` ON `outbox_12345` (`delivered_at`,`ticket_id`,`id`);--> statement-breakpoint
CREATE TABLE `ticket_attachments` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`ticket_id` integer NOT NULL,
	`mail_message_id` integer,
	`name` text NOT NULL,
	`content_type` text NOT NULL,
	`size` integer NOT NULL,
	`sha256` text NOT NULL,
	`stored_path` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`ticket_id`) REFERENCES `tickets`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`mail_message_id`) REFERENCES `mail_messages`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `ticket_attachments_ticket_idx` ON `ticket_attachments` (`ticket_id`);--> statement-breakpoint
CREATE TABLE `callback_samples` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`day` text NOT NULL,
	`ticket_id` integer NOT NULL,
	`rank` integer NOT NULL,
	`population` integer NOT NULL,
	`sampled_at` integer NOT NULL,
	FOREIGN KEY (`ticket_id`) REFERENCES `tickets`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `callback_samples_uq` ON `callback_samples` (`day`,`ticket_id`);--> statement-breakpoint
CREATE TABLE `daily_ticket_report` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`day` text NOT NULL,
	`kind` text,
	`category` text,
	`status` text NOT NULL,
	`source` text NOT NULL,
	`count` integer NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `daily_ticket_report_day_idx` ON `daily_ticket_report` (`day`);--> statement-breakpoint
CREATE TABLE `job_runs` (
	`job` text PRIMARY KEY NOT NULL,
	`last_period` text NOT NULL,
	`last_run_at` integer NOT NULL,
	`last_result` text
);
--> statement-breakpoint
CREATE TABLE `kb_entries` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`ref` text,
	`type` text NOT NULL,
	`category` text NOT NULL,
	`title` text NOT NULL,
	`body` text NOT NULL,
	`keywords` text NOT NULL,
	`effective_from` text,
	`effective_until` text,
	`source_department` text,
	`status` text DEFAULT 'draft' NOT NULL,
	`version` integer DEFAULT 1 NOT NULL,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`published_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `kb_entries_ref_uq` ON `kb_entries` (`ref`);--> statement-breakpoint
CREATE INDEX `kb_entries_status_idx` ON `kb_entries` (`status`);--> statement-breakpoint
CREATE INDEX `kb_entries_department_idx` ON `kb_entries` (`source_department`);--> statement-breakpoint
CREATE TABLE `kb_entry_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`entry_id` integer NOT NULL,
	`at` integer NOT NULL,
	`actor` text NOT NULL,
	`actor_role` text,
	`action` text NOT NULL,
	`from_status` text,
	`to_status` text,
	`version` integer NOT NULL,
	`reason` text,
	FOREIGN KEY (`entry_id`) REFERENCES `kb_entries`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `kb_entry_events_entry_idx` ON `kb_entry_events` (`entry_id`);--> statement-breakpoint
CREATE TABLE `kb_entry_versions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`entry_id` integer NOT NULL,
	`version` integer NOT NULL,
	`type` text NOT NULL,
	`category` text NOT NULL,
	`title` text NOT NULL,
	`body` text NOT NULL,
	`keywords` text NOT NULL,
	`effective_from` text,
	`effective_until` text,
	`source_department` text,
	`edited_by` text NOT NULL,
	`edited_by_role` text,
	`edited_at` integer NOT NULL,
	`note` text,
	FOREIGN KEY (`entry_id`) REFERENCES `kb_entries`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `kb_entry_versions_entry_version_uq` ON `kb_entry_versions` (`entry_id`,`version`);--> statement-breakpoint
CREATE TABLE `kb_synonyms` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`terms` text NOT NULL,
	`updated_by` text NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `kb_ticket_links` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`ticket_id` integer NOT NULL,
	`entry_id` integer NOT NULL,
	`linked_by` text NOT NULL,
	`linked_at` integer NOT NULL,
	FOREIGN KEY (`ticket_id`) REFERENCES `tickets`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`entry_id`) REFERENCES `kb_entries`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `kb_ticket_links_uq` ON `kb_ticket_links` (`ticket_id`,`entry_id`);--> statement-breakpoint
CREATE INDEX `kb_ticket_links_entry_idx` ON `kb_ticket_links` (`entry_id`);--> statement-breakpoint
CREATE TABLE `seats` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`kind` text NOT NULL,
	`dial` text NOT NULL,
	`street` text,
	`district` text,
	`skills` text DEFAULT '[]' NOT NULL,
	`state` text DEFAULT 'logged_out' NOT NULL,
	`state_reason` text,
	`state_since` integer NOT NULL,
	`last_call_ended_at` integer,
	`missed_in_row` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE `ticket_counters` (
	`day` text PRIMARY KEY NOT NULL,
	`last` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `ticket_escalations` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`ticket_id` integer NOT NULL,
	`reason` text NOT NULL,
	`supervision_ticket_id` integer NOT NULL,
	`at` integer NOT NULL,
	FOREIGN KEY (`ticket_id`) REFERENCES `tickets`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`supervision_ticket_id`) REFERENCES `tickets`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `ticket_escalations_uq` ON `ticket_escalations` (`ticket_id`,`reason`);--> statement-breakpoint
CREATE TABLE `ticket_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`ticket_id` integer NOT NULL,
	`at` integer NOT NULL,
	`actor` text NOT NULL,
	`actor_role` text,
	`action` text NOT NULL,
	`from_status` text,
	`to_status` text,
	`reason` text,
	`data` text,
	FOREIGN KEY (`ticket_id`) REFERENCES `tickets`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `ticket_events_ticket_idx` ON `ticket_events` (`ticket_id`);--> statement-breakpoint
CREATE TABLE `tickets` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`number` text NOT NULL,
	`source` text NOT NULL,
	`kind` text,
	`status` text DEFAULT 'open' NOT NULL,
	`category` text,
	`subcategory` text,
	`caller_number` text,
	`caller_name` text,
	`caller_email` text,
	`address` text,
	`street` text,
	`district` text,
	`title` text,
	`content` text,
	`assigned_seat_id` text,
	`assigned_user_id` integer,
	`department_id` text,
	`assigned_street` text,
	`needs_callback` integer DEFAULT false NOT NULL,
	`external_order_id` text,
	`parent_ticket_id` integer,
	`due_at` integer,
	`route_due_at` integer,
	`contact_due_at` integer,
	`resolve_due_at` integer,
	`overdue` integer DEFAULT false NOT NULL,
	`reply` text,
	`draft_reply` text,
	`result` text,
	`satisfaction` text,
	`flagged_for_supervisor` integer DEFAULT false NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`closed_at` integer,
	`version` integer DEFAULT 1 NOT NULL,
	`routed_at` integer,
	`contacted_at` integer,
	`resolved_at` integer,
	`bounce_count` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `tickets_number_uq` ON `tickets` (`number`);--> statement-breakpoint
CREATE UNIQUE INDEX `tickets_external_order_uq` ON `tickets` (`external_order_id`);--> statement-breakpoint
CREATE INDEX `tickets_caller_idx` ON `tickets` (`caller_number`);--> statement-breakpoint
CREATE INDEX `tickets_created_idx` ON `tickets` (`created_at`);--> statement-breakpoint
CREATE INDEX `tickets_status_idx` ON `tickets` (`status`);--> statement-breakpoint
CREATE INDEX `tickets_kind_idx` ON `tickets` (`kind`);