import { makeApp } from '../helpers/app.js';
export { setup, DAY } from '../tickets/_fixtures.js';

/** An app with the jobs plugin on, at a fixed clock. */
export function makeAppWithJobs(now: number) {
  return makeApp({ jobs: true, now: () => now });
}
