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
	`version` integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `tickets_number_uq` ON `tickets` (`number`);--> statement-breakpoint
CREATE UNIQUE INDEX `tickets_external_order_uq` ON `tickets` (`external_order_id`);--> statement-breakpoint
CREATE INDEX `tickets_caller_idx` ON `tickets` (`caller_number`);--> statement-breakpoint
CREATE INDEX `tickets_created_idx` ON `tickets` (`created_at`);--> statement-breakpoint
CREATE INDEX `tickets_status_idx` ON `tickets` (`status`);--> statement-breakpoint
CREATE INDEX `tickets_kind_idx` ON `tickets` (`kind`);