import type { TestApp } from '../helpers/app.js';

export interface Draft {
  type?: string;
  category?: string;
  title: string;
  body: string;
  keywords?: string[];
  effectiveFrom?: string | null;
  effectiveUntil?: string | null;
}

/** Writes an entry as an admin and takes it through submit and publish. Returns its id. */
export async function publish(h: TestApp, draft: Draft): Promise<number> {
  const admin = h.auth({ role: 'admin' });
  const created = await h.app.inject({ method: 'POST', url: '/api/kb/entries', headers: admin, payload: { type: 'guide', category: 'social_assistance', ...draft } });
  if (created.statusCode !== 201) throw new Error(`create: ${created.statusCode} ${created.body}`);
  const id = created.json().id as number;
  for (const action of ['submit', 'publish']) {
    const r = await h.app.inject({ method: 'POST', url: `/api/kb/entries/${id}/${action}`, headers: admin });
    if (r.statusCode !== 200) throw new Error(`${action}: ${r.statusCode} ${r.body}`);
  }
  return id;
}

/** GET /api/kb/search as a citizen (no token) unless headers are given. */
export async function search(h: TestApp, query: Record<string, string>, headers: Record<string, string> = {}) {
  const r = await h.app.inject({ url: '/api/kb/search', query, headers });
  return { status: r.statusCode, body: r.json() as { items: Array<{ id: number; title: string; snippet: string; score: number; type: string; category: string; status: string }>; match: string; message?: string } };
}

export const ids = (items: Array<{ id: number }>) => items.map((i) => i.id).sort((a, b) => a - b);
