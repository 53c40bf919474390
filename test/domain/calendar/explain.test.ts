import { describe, expect, it } from 'vitest';
import { danishCalendar } from '#domain/calendar/danish-calendar';
import { parseInstant } from '#domain/instant';

const calendar = danishCalendar();
const HOUR = 3_600_000;

describe('explain', () => {
  it('lists the minutes used each day and every day skipped, with its reason', () => {
    const explanation = calendar.explain(parseInstant('2026-06-04T15:30:00+02:00'), HOUR);
    expect(explanation.dueAt).toBe('2026-06-08T08:30:00.000+02:00');
    expect(explanation.lines).toEqual([
      '2026-06-04 counted 30 min (15:30–16:00)',
      '2026-06-05 closed: Constitution Day, bank closing day',
      '2026-06-06 closed: Saturday, weekend',
      '2026-06-07 closed: Sunday, weekend',
      '2026-06-08 counted 30 min (08:00–08:30)',
    ]);
  });

  it('says when a ticket came in after closing, and names every holiday of a day', () => {
    const explanation = calendar.explain(parseInstant('2026-04-01T17:00:00+02:00'), 4 * HOUR);
    expect(explanation.clockStartsAt).toBe('2026-04-07T08:00:00.000+02:00');
    expect(explanation.days).toEqual([
      { date: '2026-04-01', status: 'outside-hours', reason: 'opened after closing' },
      { date: '2026-04-02', status: 'closed', reason: 'Maundy Thursday, public holiday' },
      { date: '2026-04-03', status: 'closed', reason: 'Good Friday, public holiday' },
      { date: '2026-04-04', status: 'closed', reason: 'Saturday, weekend' },
      { date: '2026-04-05', status: 'closed', reason: 'Easter Sunday, public holiday' },
      { date: '2026-04-06', status: 'closed', reason: 'Easter Monday, public holiday' },
      { date: '2026-04-07', status: 'counted', from: '08:00', to: '12:00', businessMinutes: 240 },
    ]);
  });

  it('adds up to the duration', () => {
    const explanation = calendar.explain(parseInstant('2025-12-23T12:00:00+01:00'), 12 * HOUR);
    const counted = explanation.days.flatMap((d) => (d.status === 'counted' ? [d.businessMinutes] : []));
    expect(counted).toEqual([240, 480]);
    expect(explanation.businessMinutes).toBe(720);
    expect(explanation.lines.at(-1)).toBe('2025-12-29 counted 8 h (08:00–16:00)');
  });
});
