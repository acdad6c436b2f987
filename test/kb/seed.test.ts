import t from 'tap';
import { makeApp } from '../helpers/app.js';
import { DEMO_ENTRIES, seedKnowledgeBase } from '../../src/kb/demo-entries.js';
import { KB_CATEGORIES } from '../../src/kb/schema.js';
import { search } from './kb-helpers.js';

t.test('demo knowledge base: idempotent, all areas, searchable', async (t) => {
  const h = await makeApp();
  t.teardown(h.close);
  const first = seedKnowledgeBase(h.app.services.db);
  t.ok(first.entries >= 30);
  t.same(seedKnowledgeBase(h.app.services.db), { entries: 0, synonyms: 0 }, 'a second run adds nothing');
  const areas = new Set(DEMO_ENTRIES.map((e) => e.category));
  for (const c of KB_CATEGORIES) t.ok(areas.has(c), c);
  // the search routes cache synonyms per app; this app has not searched yet
  t.ok((await search(h, { q: '低保' })).body.items.length >= 3);
  t.ok((await search(h, { q: '高龄津贴' })).body.items.length >= 1, 'through the synonym 老年综合津贴');
  const answer = (await h.app.inject({ method: 'POST', url: '/api/answer', payload: { question: '结婚登记要带哪些材料？' } })).json();
  t.equal(answer.answered, true);
  t.match(answer.entries[0].title, /结婚登记/);
});
