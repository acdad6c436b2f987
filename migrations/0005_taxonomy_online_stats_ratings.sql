CREATE TABLE `hot_term_days` (
	`day` text NOT NULL,
	`origin` text NOT NULL,
	`term` text NOT NULL,
	`count` integer NOT NULL,
	PRIMARY KEY(`day`, `origin`, `term`)
);
--> statement-breakpoint
CREATE TABLE `satisfaction_ratings` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` integer NOT NULL,
	`channel` text NOT NULL,
	`rating` text NOT NULL,
	`ticket_id` integer NOT NULL,
	`unit_kind` text NOT NULL,
	`unit` text,
	`seat_id` text,
	`category` text
);
--> statement-breakpoint
CREATE INDEX `satisfaction_ratings_at_idx` ON `satisfaction_ratings` (`at`,`channel`,`rating`,`unit_kind`,`unit`,`seat_id`,`category`);--> statement-breakpoint
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
CREATE INDEX `tickets_stats_idx` ON `tickets` (`created_at`,`kind`,`category`,`subcategory`,`source`,`status`,`updated_at`,`department_id`,`assigned_street`,`route_due_at`,`routed_at`,`contact_due_at`,`contacted_at`,`resolve_due_at`,`resolved_at`,`due_at`,`closed_at`,`overdue`,`satisfaction`);--> statement-breakpoint
CREATE INDEX `ticket_events_action_at_idx` ON `ticket_events` (`action`,`at`);--> statement-breakpoint
-- the ratings given before this table existed, from the history and the calls (src/stats/ratings.ts REBUILD_RATINGS_SQL)
INSERT INTO satisfaction_ratings (at, channel, rating, ticket_id, unit_kind, unit, seat_id, category)
   SELECT e.at, e.action, json_extract(e.data, '$.satisfaction'), t.id,
     CASE WHEN t.department_id IS NOT NULL THEN 'department' WHEN t.assigned_street IS NOT NULL THEN 'street' ELSE 'center' END,
     coalesce(t.department_id, t.assigned_street), t.assigned_seat_id, t.category
   FROM ticket_events e JOIN tickets t ON t.id = e.ticket_id
   WHERE e.action IN ('callback', 'spot_check') AND json_extract(e.data, '$.satisfaction') IN ('satisfied', 'fair', 'unsatisfied');--> statement-breakpoint
INSERT INTO satisfaction_ratings (at, channel, rating, ticket_id, unit_kind, unit, seat_id, category)
   SELECT c.started_at, 'ivr', c.rating, t.id,
     CASE WHEN t.department_id IS NOT NULL THEN 'department' WHEN t.assigned_street IS NOT NULL THEN 'street' ELSE 'center' END,
     coalesce(t.department_id, t.assigned_street), c.seat_id, t.category
   FROM calls c JOIN tickets t ON t.id = c.ticket_id
   WHERE c.rating IN ('satisfied', 'fair', 'unsatisfied');
