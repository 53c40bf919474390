import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { monthAvailability, type Sample, type ServiceWindow } from '#domain/availability/availability';
import { availabilityView, SampleLine, toWindow, WindowEntry } from '#domain/availability/export-format';
import { MONTH, TARGET_NAME } from '#domain/identifiers';
import { danishCalendar } from '#domain/calendar/danish-calendar';
import { parseInstant } from '#domain/instant';
import { CliUsageError } from './cli-error';

export const availabilityHelp = `Usage: sla-desk availability --month YYYY-MM --samples <samples.jsonl> [--windows <windows.json>] [--target <name>] [--as-of <instant>]

Recomputes a month's availability from an export, so anyone can check a report.
Counts 5-minute operating-hours slots (Danish business days 08:00–16:00 Copenhagen):
eligible = operating − excluded (overlapping a service window) = up + down + missing.

Options:
  --samples  JSON Lines, one sample a line:
             {"target":"api","at":"2026-06-10T08:00:42.123Z","ok":true,"latencyMs":45,"status":200}
  --windows  what GET /service-windows?month=YYYY-MM answers, saved as is, or a JSON
             array of {"start","end","reason","targets"?} (ISO 8601 with offset;
             targets null or absent: every target)
  --target   which target to count (default: api)
  --as-of    count the month up to this instant (default: the current time, so a
             month that has ended counts whole); a slot counts once it has ended

The last line printed is one JSON object with availabilityPercent, eligibleSlots,
upSlots, downSlots, missingSlots, excludedSlots, targetMet and the rest of the figure.
A bad file exits with code 2, naming the file and line.`;

async function readSamples(file: string): Promise<Sample[]> {
  const samples: Sample[] = [];
  let line = 0;
  try {
    for await (const text of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
      line++;
      if (text.trim() === '') continue;
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        throw new CliUsageError(`${file}:${line}: not valid JSON`);
      }
      const parsed = SampleLine.safeParse(value);
      if (!parsed.success) throw new CliUsageError(`${file}:${line}: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'sample'} ${i.message}`).join('; ')}`);
      samples.push(parsed.data);
    }
  } catch (error) {
    if (error instanceof CliUsageError) throw error;
    throw new CliUsageError(`${file}: ${(error as Error).message}`);
  }
  return samples;
}

async function readWindows(file: string): Promise<ServiceWindow[]> {
  let value: unknown;
  try {
    value = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new CliUsageError(`${file}: ${(error as NodeJS.ErrnoException).code ? (error as Error).message : 'not valid JSON'}`);
  }
  // Exactly what GET /service-windows answers, {"items": [...]}, or a bare array written by hand.
  const list = Array.isArray(value) ? value : (value as { items?: unknown } | null)?.items;
  if (!Array.isArray(list)) throw new CliUsageError(`${file}: expected GET /service-windows' answer {"items": [...]}, or a JSON array of windows`);
  return list.map((entry, i) => {
    const parsed = WindowEntry.safeParse(entry);
    if (!parsed.success) throw new CliUsageError(`${file}: window ${i + 1}: ${parsed.error.issues.map((x) => `${x.path.join('.') || 'window'} ${x.message}`).join('; ')}`);
    return toWindow(parsed.data);
  });
}

export async function availability(args: string[]): Promise<string> {
  const { values } = parseArgs({
    args,
    options: { month: { type: 'string' }, samples: { type: 'string' }, windows: { type: 'string' }, target: { type: 'string' }, 'as-of': { type: 'string' } },
    strict: true,
  });
  if (!values.month || !MONTH.test(values.month)) throw new CliUsageError('--month YYYY-MM is required');
  if (!values.samples) throw new CliUsageError('--samples <samples.jsonl> is required');
  if (values.target !== undefined && !TARGET_NAME.test(values.target)) throw new CliUsageError('--target must be a probe target name, e.g. api');
  const asOf = values['as-of'] === undefined ? Date.now() : parseInstant(values['as-of']);
  const [samples, windows] = await Promise.all([readSamples(values.samples), values.windows ? readWindows(values.windows) : Promise.resolve([])]);
  const calendar = danishCalendar();
  const figure = monthAvailability({ calendar, month: values.month, target: values.target ?? 'api', samples, windows, asOf });
  return JSON.stringify(availabilityView(figure, calendar));
}
