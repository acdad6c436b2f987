// This feature's tables (drizzle). Re-exported by src/db/tables.ts.
export {};
