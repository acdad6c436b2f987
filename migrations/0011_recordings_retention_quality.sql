CREATE TABLE `quality_samples` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`day` text NOT NULL,
	`call_id` text NOT NULL,
	`ticket_id` integer NOT NULL,
	`seat_id` text NOT NULL,
	`rank` integer NOT NULL,
	`population` integer NOT NULL,
	`drawn_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `quality_samples_call_uq` ON `quality_samples` (`call_id`);--> statement-breakpoint
CREATE INDEX `quality_samples_day_seat_idx` ON `quality_samples` (`day`,`seat_id`);--> statement-breakpoint
CREATE INDEX `quality_samples_seat_idx` ON `quality_samples` (`seat_id`,`day`);--> statement-breakpoint
CREATE TABLE `quality_scores` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`sample_id` integer NOT NULL,
	`call_id` text NOT NULL,
	`seat_id` text NOT NULL,
	`month` text NOT NULL,
	`sheet_id` integer NOT NULL,
	`items` text NOT NULL,
	`total` integer NOT NULL,
	`max_total` integer NOT NULL,
	`comment` text,
	`scored_by` text NOT NULL,
	`scored_by_user_id` integer,
	`scored_at` integer NOT NULL,
	FOREIGN KEY (`sample_id`) REFERENCES `quality_samples`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`sheet_id`) REFERENCES `quality_sheets`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `quality_scores_sample_uq` ON `quality_scores` (`sample_id`);--> statement-breakpoint
CREATE INDEX `quality_scores_seat_month_idx` ON `quality_scores` (`seat_id`,`month`);--> statement-breakpoint
CREATE TABLE `quality_sheets` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`items` text NOT NULL,
	`created_at` integer NOT NULL,
	`created_by` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `recording_removals` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`kind` text NOT NULL,
	`call_id` text NOT NULL,
	`ticket_id` integer NOT NULL,
	`call_started_at` integer NOT NULL,
	`removed_at` integer NOT NULL,
	`result` text NOT NULL,
	`retention_days` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `recording_removals_name_uq` ON `recording_removals` (`name`);--> statement-breakpoint
CREATE INDEX `recording_removals_ticket_idx` ON `recording_removals` (`ticket_id`);