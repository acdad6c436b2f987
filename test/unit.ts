// The unit layer: every test/calls file in one process (no Asterisk, no root), so it
// runs in seconds where a process per file would spend most of its time starting up.
// `npm run test:unit`; part of `npm test`.
import { readdirSync } from 'node:fs';

const dir = new URL('./calls/', import.meta.url);
for (const f of readdirSync(dir).filter((f) => f.endsWith('.test.ts')).sort()) await import(new URL(f, dir).href);
