// All tables, for drizzle's relational queries. Each feature owns its schema.ts.
export * from '../tickets/schema.js';
export * from '../calls/schema.js';
export * from '../seats/schema.js';
export * from '../auth/schema.js';
export * from '../kb/schema.js';
export * from '../intake/schema.js';
export * from '../jobs/schema.js';
export * from '../calendar/schema.js';
export * from '../registry/schema.js';
export * from '../taxonomy/schema.js';
export * from '../stats/schema.js';
export * from '../alerts/schema.js';
export * from '../mailout/schema.js';
export * from '../recordings/schema.js';
export * from '../quality/schema.js';
