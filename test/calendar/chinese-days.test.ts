// Our calendar files are typed from the State Council notices; chinese-days is an
// independent transcription of the same notices. Every day of both years must agree.
import t from 'tap';
import chineseDays from 'chinese-days';
import { isWorkingDay } from '../../src/calendar/working-days.js';
import { datesBetween } from '../../src/calendar/dates.js';

for (const year of [2025, 2026]) {
  t.test(`every day of ${year} agrees with chinese-days`, async (t) => {
    const days = datesBetween(`${year}-01-01`, `${year}-12-31`);
    t.equal(days.length, 365);
    const disagreements = days
      .filter((d) => isWorkingDay(d) !== chineseDays.isWorkday(d))
      .map((d) => `${d}: ours ${isWorkingDay(d) ? 'working' : 'off'}, chinese-days ${chineseDays.isWorkday(d) ? 'working' : 'off'}`);
    t.same(disagreements, [], 'no day differs');
    // counted by hand from the notices: 261 weekdays − weekday holidays + make-up days
    const expected = { 2025: 261 - 18 + 5, 2026: 261 - 19 + 6 }[year];
    t.equal(days.filter(isWorkingDay).length, expected, 'working days in the year');
  });
}
