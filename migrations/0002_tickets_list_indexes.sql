DROP INDEX `tickets_caller_idx`;--> statement-breakpoint
DROP INDEX `tickets_status_idx`;--> statement-breakpoint
DROP INDEX `tickets_kind_idx`;--> statement-breakpoint
CREATE INDEX `tickets_caller_created_idx` ON `tickets` (`caller_number`,`created_at`);--> statement-breakpoint
CREATE INDEX `tickets_status_created_idx` ON `tickets` (`status`,`created_at`);--> statement-breakpoint
CREATE INDEX `tickets_kind_created_idx` ON `tickets` (`kind`,`created_at`);--> statement-breakpoint
CREATE INDEX `tickets_kind_status_created_idx` ON `tickets` (`kind`,`status`,`created_at`);