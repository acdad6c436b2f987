// #13: a disabled user's tokens stop working at once. Kept apart from the token code so it
// merges with the session revocation of #15 (tokenVersion); this only asks "is the row active?".
import { eq, sql } from 'drizzle-orm';
import type { Db } from '../db/index.js';
import { users } from './schema.js';

/**
 * False only for a user row that exists and is disabled. A token without a row (tests sign
 * tokens for made-up actors) is left to the token check alone.
 */
export function userIsActive(db: Db): (userId: number | undefined) => boolean {
  const q = db.select({ active: users.active }).from(users).where(eq(users.id, sql.placeholder('id'))).prepare();
  return (userId) => {
    if (userId === undefined || userId === 0) return true;
    const row = q.get({ id: userId });
    return row ? row.active : true;
  };
}
