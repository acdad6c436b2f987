CREATE TABLE `departments` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`kind` text NOT NULL,
	`district` text,
	`active` integer DEFAULT true NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `streets` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`kind` text NOT NULL,
	`district` text NOT NULL,
	`active` integer DEFAULT true NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE `ticket_deadlines` ADD `unit` text DEFAULT 'working' NOT NULL;--> statement-breakpoint
ALTER TABLE `tickets` ADD `order_due_at` integer;--> statement-breakpoint
ALTER TABLE `tickets` ADD `routed_by_user_id` integer;--> statement-breakpoint
ALTER TABLE `tickets` ADD `co_handlers` text DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE `tickets` ADD `coordination_department_id` text;--> statement-breakpoint
ALTER TABLE `tickets` ADD `coordination_reason` text;--> statement-breakpoint
ALTER TABLE `tickets` ADD `coordination_requested_at` integer;--> statement-breakpoint
ALTER TABLE `tickets` ADD `coordination_answer` text;--> statement-breakpoint
ALTER TABLE `tickets` ADD `coordination_answered_at` integer;--> statement-breakpoint
ALTER TABLE `tickets` ADD `limit_days` integer;--> statement-breakpoint
ALTER TABLE `tickets` ADD `limit_unit` text;--> statement-breakpoint
ALTER TABLE `tickets` ADD `limit_basis` text;--> statement-breakpoint
ALTER TABLE `tickets` ADD `extension_request` text;--> statement-breakpoint
ALTER TABLE `tickets` ADD `extension_count` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `tickets` ADD `urge_count` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `tickets` ADD `urged_at` integer;