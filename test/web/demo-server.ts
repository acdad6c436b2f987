// The app with the demo data, listening on a free loopback port, for a browser test to open.
import { seedDemo } from '../../src/seed/demo.js';
import { makeApp, type TestApp } from '../helpers/app.js';

type Opts = Parameters<typeof makeApp>[0];

export async function demoServer(t: { teardown(fn: () => unknown): void }, opts?: Opts): Promise<{ h: TestApp; s: TestApp['app']['services']; base: string }> {
  const h = await makeApp(opts);
  t.teardown(h.close);
  const s = h.app.services;
  await seedDemo(s.db);
  s.seats.reload();
  await h.app.listen({ port: 0, host: '127.0.0.1' });
  return { h, s, base: `http://127.0.0.1:${(h.app.server.address() as { port: number }).port}` };
}
