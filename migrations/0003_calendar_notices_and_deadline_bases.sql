CREATE TABLE `calendar_years` (
	`year` integer PRIMARY KEY NOT NULL,
	`days` text NOT NULL,
	`document` text NOT NULL,
	`loaded_by` text NOT NULL,
	`loaded_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `ticket_deadlines` (
	`ticket_id` integer NOT NULL,
	`field` text NOT NULL,
	`start_at` integer NOT NULL,
	`days` integer NOT NULL,
	`due_at` integer NOT NULL,
	`provisional` integer NOT NULL,
	`start_day` text NOT NULL,
	`due_day` text NOT NULL,
	FOREIGN KEY (`ticket_id`) REFERENCES `tickets`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `ticket_deadlines_uq` ON `ticket_deadlines` (`ticket_id`,`field`);--> statement-breakpoint
CREATE INDEX `ticket_deadlines_due_day_idx` ON `ticket_deadlines` (`due_day`);--> statement-breakpoint
ALTER TABLE `tickets` ADD `due_at_provisional` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `tickets` ADD `route_due_at_provisional` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `tickets` ADD `contact_due_at_provisional` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `tickets` ADD `resolve_due_at_provisional` integer DEFAULT false NOT NULL;