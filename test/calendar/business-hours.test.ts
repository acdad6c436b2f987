import t from 'tap';
import { isOpen, parseBusinessHours } from '../../src/calendar/business-hours.js';
import { loadConfig } from '../../src/config.js';

const shanghai = (local: string) => Date.parse(`${local}+08:00`);

t.test('BUSINESS_HOURS: default, override, and bad values', async (t) => {
  t.equal(loadConfig({}).businessHours, '09:00-17:00', 'default');
  t.equal(loadConfig({ BUSINESS_HOURS: '08:30-20:00' }).businessHours, '08:30-20:00');
  t.same(parseBusinessHours('09:00-17:00'), { opens: 540, closes: 1020 });
  t.same(parseBusinessHours('00:00-24:00'), { opens: 0, closes: 1440 }, 'round the clock');
  for (const bad of ['9-17', '09:00', '17:00-09:00', '09:00-09:00', '09:60-17:00', '09:00-24:01', '25:00-26:00', '']) {
    t.throws(() => parseBusinessHours(bad), { message: /BUSINESS_HOURS must look like 09:00-17:00/ }, `"${bad}" refused`);
  }
});

t.test('open on working days within the hours, Shanghai time', async (t) => {
  const hours = parseBusinessHours('09:00-17:00');
  t.equal(isOpen(shanghai('2026-02-13T10:00:00'), hours), true, 'an ordinary Friday morning');
  t.equal(isOpen(shanghai('2026-02-13T08:59:59'), hours), false, 'before opening');
  t.equal(isOpen(shanghai('2026-02-13T09:00:00'), hours), true, 'at opening');
  t.equal(isOpen(shanghai('2026-02-13T16:59:59'), hours), true, 'the last minute');
  t.equal(isOpen(shanghai('2026-02-13T17:00:00'), hours), false, 'at closing');
  t.equal(isOpen(shanghai('2026-02-14T10:00:00'), hours), true, 'the make-up Saturday before 春节');
  t.equal(isOpen(shanghai('2026-02-16T10:00:00'), hours), false, 'a weekday in 春节');
  t.equal(isOpen(shanghai('2026-03-07T10:00:00'), hours), false, 'an ordinary Saturday');
  t.equal(isOpen(shanghai('2026-02-13T10:00:00'), '09:00-17:00'), true, 'hours may be given as the env string');
});

t.test('round the clock still follows the working-day calendar', async (t) => {
  t.equal(isOpen(shanghai('2026-02-13T23:59:00'), '00:00-24:00'), true);
  t.equal(isOpen(shanghai('2026-02-13T00:00:00'), '00:00-24:00'), true);
  t.equal(isOpen(shanghai('2026-10-03T12:00:00'), '00:00-24:00'), false, '国庆');
});

t.test('a year with no notice follows the statutory rule; beyond the lunar calendar nothing is guessed', async (t) => {
  t.equal(isOpen(shanghai('2027-10-01T10:00:00'), '09:00-17:00'), false, '国庆 2027, provisional');
  t.equal(isOpen(shanghai('2027-10-08T10:00:00'), '09:00-17:00'), true);
  t.throws(() => isOpen(shanghai('2150-03-02T10:00:00'), '09:00-17:00'), { name: 'CalendarYearMissingError', year: 2150 });
});
