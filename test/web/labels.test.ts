import t from 'tap';
import { makeApp } from '../helpers/app.js';
import { KIND_LABEL, STATUS_LABEL } from '../../src/stats/labels.js';

t.test("the pages' words for ticket codes come from the server's one dictionary", async (t) => {
  const h = await makeApp();
  t.teardown(h.close);
  const r = await h.app.inject({ url: '/api/labels' });
  t.equal(r.statusCode, 200, 'public: the login screen needs no token for it');
  const body = r.json();
  t.same(body.kinds, KIND_LABEL);
  t.same(body.statuses, STATUS_LABEL);
  t.equal(body.sources.phone, '电话');
  t.equal(body.satisfaction.unsatisfied, '不满意');
});
