CREATE TABLE `call_screenings` (
	`leg_id` text PRIMARY KEY NOT NULL,
	`call_id` text NOT NULL,
	`seat_id` text NOT NULL,
	`queue` text,
	`started_at` integer NOT NULL,
	`ended_at` integer,
	`outcome` text,
	`digit` text
);
--> statement-breakpoint
CREATE INDEX `call_screenings_started_idx` ON `call_screenings` (`started_at`);--> statement-breakpoint
ALTER TABLE `seats` ADD `screening` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `seats` ADD `pin_hash` text;--> statement-breakpoint
-- street seats dial outside numbers: screened by default (issue #20)
UPDATE `seats` SET `screening` = 1 WHERE `kind` = 'street';
