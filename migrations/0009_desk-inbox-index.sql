-- the desk's inbox (GET /api/tickets?open=true&sort=deadline): unfinished tickets, overdue first, nearest deadline next (none last)
CREATE INDEX `tickets_open_deadline_idx` ON `tickets` ("overdue" DESC, coalesce("due_at", 9007199254740991)) WHERE "status" NOT IN ('closed', 'returned');
