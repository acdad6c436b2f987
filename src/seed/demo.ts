import { sql } from 'drizzle-orm';
import { openDatabase, type Db } from '../db/index.js';
import { loadConfig } from '../config.js';
import { UserService } from '../auth/services.js';
import { hashPassword } from '../auth/password.js';
import { seats } from '../seats/schema.js';
import { DEMO_STREETS } from './streets.js';
import { seedKnowledgeBase } from '../kb/demo-entries.js';
import { RegistryService } from '../registry/services.js';
import { DEMO_DEPARTMENTS } from './departments.js';

export const DEMO_PASSWORD = 'demo-password';
/** the street seats' PIN for the seat-state phone line (dev/demo only; an admin sets real ones) */
export const DEMO_SEAT_PIN = '1357';
const CENTER_SEATS = Array.from({ length: 10 }, (_, i) => String(1001 + i));

/**
 * Demo data (DESIGN §7): the registries (departments the regulation names, the streets),
 * users admin, supervisor, op1, op2 (and one per street seat and a few departments),
 * the seat roster of the dev Asterisk config, and knowledge-base entries. Idempotent.
 */
export async function seedDemo(db: Db): Promise<{ users: number; seats: number }> {
  const users = new UserService(db);
  const now = Date.now();
  // the registries first: users and seats name their units
  const registry = new RegistryService(db);
  for (const d of DEMO_DEPARTMENTS) registry.upsertDepartment(d);
  for (const s of DEMO_STREETS) registry.upsertStreet({ id: s.id, name: s.name, kind: s.name.endsWith('镇') ? 'town' : 'street', district: s.district });
  for (const id of CENTER_SEATS) {
    db.insert(seats)
      .values({ id, name: `中心坐席 ${id}`, kind: 'center', dial: `PJSIP/${id}`, skills: ['consultation', 'community_life', 'complaint', 'emergency', 'general'], stateSince: now })
      .onConflictDoUpdate({ target: seats.id, set: { dial: sql`excluded.dial`, kind: sql`excluded.kind` } })
      .run();
  }
  // the street seats' phone-line PIN (DEMO_SEAT_PIN), hashed once for all of them
  const pinHash = await hashPassword(DEMO_SEAT_PIN);
  for (const s of DEMO_STREETS) {
    db.insert(seats)
      .values({ id: `street-${s.id}`, name: `${s.district}${s.name}远程坐席`, kind: 'street', dial: `PJSIP/${s.seatNumber}@street-gw`, street: s.id, district: s.district, skills: ['community_life'], screening: true, pinHash, stateSince: now })
      .onConflictDoUpdate({ target: seats.id, set: { dial: sql`excluded.dial`, street: sql`excluded.street` } })
      .run();
  }
  const accounts = [
    { username: 'admin', role: 'admin' as const, displayName: '系统管理员' },
    { username: 'supervisor', role: 'supervisor' as const, displayName: '值班主管' },
    { username: 'inspector', role: 'inspector' as const, displayName: '监察室' },
    { username: 'quality', role: 'quality' as const, displayName: '质检员' },
    { username: 'op1', role: 'operator' as const, displayName: '话务员一', seatId: '1001' },
    { username: 'op2', role: 'operator' as const, displayName: '话务员二', seatId: '1002' },
    { username: 'dept-assistance', role: 'department' as const, displayName: '社会救助处', departmentId: 'social-assistance' },
    { username: 'dept-elderly', role: 'department' as const, displayName: '养老服务处', departmentId: 'elderly-services' },
    { username: 'dept-xuhui', role: 'department' as const, displayName: '徐汇区民政局', departmentId: 'xuhui-civil-affairs' },
    { username: 'bureau-office', role: 'department' as const, displayName: '市民政局办公室', departmentId: 'bureau-office' },
    ...DEMO_STREETS.map((s) => ({ username: `street-${s.id}`, role: 'street_seat' as const, displayName: `${s.name}坐席`, street: s.id, seatId: `street-${s.id}` })),
  ];
  for (const a of accounts) await users.create({ ...a, password: DEMO_PASSWORD });

  seedKnowledgeBase(db);

  return { users: accounts.length, seats: CENTER_SEATS.length + DEMO_STREETS.length };
}

// `npm run seed:demo`
if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('seed/demo.ts') || process.argv[1]?.endsWith('seed/demo.js')) {
  const config = loadConfig();
  const db = openDatabase(config.dbPath);
  const r = await seedDemo(db);
  console.log(`seed:demo: ${r.users} users (password "${DEMO_PASSWORD}"), ${r.seats} seats in ${config.dbPath}`);
  db.$client.close();
}
