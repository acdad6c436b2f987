import t from 'tap';
import { eq, sql } from 'drizzle-orm';
import { openDatabase } from '../../src/db/index.js';
import { ByColumns, columnsSet, placeholders, statement } from '../../src/db/prepared.js';
import { seats } from '../../src/seats/schema.js';
import { tickets } from '../../src/tickets/schema.js';
import { TicketService } from '../../src/tickets/services.js';
import { HotlineBus } from '../../src/shared/bus.js';
import type { Actor } from '../../src/shared/actor.js';

// statement() runs drizzle's SQL on better-sqlite3 itself: what it writes and the rows it
// returns must be exactly drizzle's own.

const actor: Actor = { name: 'system:test', role: 'system' };
const seat = (id: string) => ({ id, name: id, kind: 'center' as const, dial: `PJSIP/${id}`, stateSince: 1 });

t.test('writes encode JSON, booleans and NULL as drizzle does', async (t) => {
  const db = openDatabase(':memory:');
  db.insert(seats).values([seat('a'), seat('b')]).run();
  const changes = { skills: ['general', '投诉'], screening: true, stateReason: null, missedInRow: 3, lastCallEndedAt: 1_700_000_000_123 };
  const fields = columnsSet(seats, changes);
  statement(db, db.update(seats).set(placeholders(fields)).where(eq(seats.id, sql.placeholder('$id'))), { encode: seats }).run({ ...changes, $id: 'a' });
  db.update(seats).set(changes).where(eq(seats.id, 'b')).run();
  const raw = db.$client.prepare('SELECT * FROM seats ORDER BY id').all() as Array<Record<string, unknown>>;
  t.strictSame({ ...raw[0], id: 'b', name: 'b', dial: 'PJSIP/b' }, raw[1], 'the same stored values');
  t.equal(raw[0].skills, '["general","投诉"]');
  t.equal(raw[0].screening, 1);
  t.equal(raw[0].state_reason, null);
});

t.test('rows come back as drizzle maps them, in its key order', async (t) => {
  const db = openDatabase(':memory:');
  const service = new TicketService(db, new HotlineBus());
  const created = service.create({ source: 'phone', callerNumber: '13800138000', needsCallback: true }, actor, { x: 1 });
  const coHandlers = [{ departmentId: 'd1', part: null, partAt: null }];
  const updated = service.update(created.id, { coHandlers, extensionRequest: null, overdue: true }, { actor, action: 'edited' });
  const viaDrizzle = db.select().from(tickets).where(eq(tickets.id, created.id)).get()!;
  t.strictSame(updated, viaDrizzle, 'the update returns drizzle’s row');
  t.strictSame(service.get(created.id), viaDrizzle, 'get() too');
  t.strictSame(Object.keys(service.get(created.id)!), Object.keys(viaDrizzle));
  t.equal(viaDrizzle.needsCallback, true);
  t.strictSame(viaDrizzle.coHandlers, coHandlers);
  t.equal(viaDrizzle.extensionRequest, null);
  const raw = db.$client.prepare('SELECT extension_request, co_handlers, overdue, needs_callback FROM tickets WHERE id = ?').get(created.id);
  t.strictSame(raw, { extension_request: null, co_handlers: JSON.stringify(coHandlers), overdue: 1, needs_callback: 1 }, 'a JSON NULL stored as NULL, not as "null"');
  const partial = statement<{ status: string; version: number }>(db, db.select({ status: tickets.status, version: tickets.version }).from(tickets).where(eq(tickets.id, sql.placeholder('id'))), {
    row: { status: tickets.status, version: tickets.version },
  });
  t.strictSame(partial.get({ id: created.id }), { status: viaDrizzle.status, version: viaDrizzle.version });
  t.equal(partial.get({ id: 999 }), undefined);
  t.strictSame(partial.all({ id: created.id }), [{ status: viaDrizzle.status, version: viaDrizzle.version }]);
});

t.test('a statement shared through the statement cache still returns mapped rows', async (t) => {
  const db = openDatabase(':memory:');
  db.insert(seats).values(seat('a')).run();
  const q = db.select().from(seats).where(eq(seats.id, sql.placeholder('id')));
  const byId = statement<typeof seats.$inferSelect>(db, q, { row: seats });
  // someone else prepares the same SQL: the cache hands out the same statement, objects mode
  const other = db.$client.prepare(q.toSQL().sql).get('a') as Record<string, unknown>;
  t.equal(other.id, 'a', 'the other user reads objects');
  t.match(byId.get({ id: 'a' }), { id: 'a', skills: [], screening: false });
});

t.test('refuses a row shape that is not what the query returns, and a missing value', async (t) => {
  const db = openDatabase(':memory:');
  t.throws(() => statement(db, db.select({ id: seats.id }).from(seats), { row: seats }), /returns id, not/);
  const byId = statement(db, db.select().from(seats).where(eq(seats.id, sql.placeholder('id'))), { row: seats });
  t.throws(() => byId.get({}), /No value for placeholder "id"/);
});

t.test('ByColumns builds a statement once per set of columns, and starts again past its bound', async (t) => {
  const built: string[] = [];
  const by = new ByColumns((fields) => {
    built.push(fields.join());
    return fields.join('+');
  }, 2);
  t.equal(by.for(['a', 'b']), 'a+b');
  t.equal(by.for(['a']), 'a');
  t.equal(by.for(['a', 'b']), 'a+b');
  t.strictSame(built, ['a,b', 'a'], 'each set built once');
  t.equal(by.for(['b']), 'b');
  t.equal(by.for(['a', 'b']), 'a+b');
  t.strictSame(built, ['a,b', 'a', 'b', 'a,b'], 'past the bound the sets are built again');
});
