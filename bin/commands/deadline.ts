import { parseArgs } from 'node:util';
import { danishCalendar } from '#domain/calendar/danish-calendar';
import { parseInstant } from '#domain/instant';
import { firstResponseDueAt, firstResponseMinutes, parsePriority } from '#domain/sla/sla-policy';
import { CliUsageError } from './cli-error';

export const deadlineHelp = `Usage: sla-desk deadline --priority <highest|high|medium|low|lowest> --opened <instant>

Prints, as one JSON object, when the first response to a ticket is due under
the contract: Danish business days, 08:00–16:00 Europe/Copenhagen, excluding
public holidays and bank closing days.

Options:
  --priority  highest (1 h), high (4 h), medium (8 h), low (12 h), lowest (16 h)
  --opened    when the ticket was opened: ISO 8601 with an offset or Z,
              e.g. 2026-06-04T15:30:00+02:00 or 2026-06-04T13:30:00Z

Output fields: priority, openedAt, clockStartsAt, firstResponseDueAt (ISO 8601,
Copenhagen offset), businessMinutes, explain (day-by-day breakdown).
Invalid input exits with code 2 and one line on stderr.`;

export function deadline(args: string[]): string {
  const { values } = parseArgs({ args, options: { priority: { type: 'string' }, opened: { type: 'string' } }, strict: true });
  if (values.priority === undefined) throw new CliUsageError('--priority is required');
  if (values.opened === undefined) throw new CliUsageError('--opened is required');
  const priority = parsePriority(values.priority);
  const openedAt = parseInstant(values.opened);
  const calendar = danishCalendar();
  const dueAt = firstResponseDueAt(openedAt, priority, calendar);
  const businessMinutes = firstResponseMinutes(priority);
  const explain = calendar.explain(openedAt, businessMinutes * 60_000);
  return JSON.stringify({
    priority,
    openedAt: explain.openedAt,
    clockStartsAt: explain.clockStartsAt,
    firstResponseDueAt: calendar.iso(dueAt),
    businessMinutes,
    explain: { days: explain.days, lines: explain.lines },
  });
}
