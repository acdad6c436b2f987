import { defineConfig } from 'drizzle-kit';

// Every feature keeps its tables in its own src/<feature>/schema.ts.
export default defineConfig({
  dialect: 'sqlite',
  schema: './src/*/schema.ts',
  out: './migrations',
});
