ALTER TABLE `calls` ADD `state` text;--> statement-breakpoint
ALTER TABLE `calls` ADD `street` text;--> statement-breakpoint
ALTER TABLE `calls` ADD `head_of_queue` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `calls` ADD `offered_seat_id` text;--> statement-breakpoint
ALTER TABLE `calls` ADD `seat_leg_id` text;--> statement-breakpoint
ALTER TABLE `seats` ADD `reason_code` text;--> statement-breakpoint
ALTER TABLE `seats` ADD `after_call` text;--> statement-breakpoint
ALTER TABLE `seats` ADD `after_call_reason` text;