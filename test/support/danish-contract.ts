/**
 * The contract's calendar and targets, written out here from the contract and
 * Danish law, independently of functions/domain, for oracles to check against.
 */

export const CONTRACT_ZONE = 'Europe/Copenhagen';

/** Operating hours: Monday–Friday 08:00–16:00, in minutes after local midnight. */
export const CONTRACT_HOURS = { firstWeekday: 1, lastWeekday: 5, open: 8 * 60, close: 16 * 60 };

/** First response within these business hours, by priority (the incident table). */
export const CONTRACT_FIRST_RESPONSE_HOURS = { highest: 1, high: 4, medium: 8, low: 12, lowest: 16 } as const;

/** Easter Sunday by the anonymous Gregorian algorithm (Meeus/Jones/Butcher), independent of date-holidays. */
function easterSunday(year: number): Date {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return new Date(Date.UTC(year, month - 1, day));
}

const iso = (d: Date) => d.toISOString().slice(0, 10);
const plusDays = (d: Date, n: number) => new Date(d.getTime() + n * 86_400_000);

/** The contract's closed days written out from their definitions: name → date. */
export function definition(year: number): Map<string, string> {
  const easter = easterSunday(year);
  const days: [string, string, boolean][] = [
    // public holidays (helligdage)
    ["New Year's Day", `${year}-01-01`, true],
    ['Maundy Thursday', iso(plusDays(easter, -3)), true],
    ['Good Friday', iso(plusDays(easter, -2)), true],
    ['Easter Sunday', iso(easter), true],
    ['Easter Monday', iso(plusDays(easter, 1)), true],
    ['Prayer Day', iso(plusDays(easter, 26)), year <= 2023], // Store Bededag, abolished from 2024
    ['Ascension Day', iso(plusDays(easter, 39)), true],
    ['Pentecost', iso(plusDays(easter, 49)), true],
    ['Whit Monday', iso(plusDays(easter, 50)), true],
    ['Christmas Day', `${year}-12-25`, true],
    ['Boxing Day', `${year}-12-26`, true],
    // bank closing days (banklukkedage) beyond those
    ['Friday after Ascension Day', iso(plusDays(easter, 40)), year >= 2009],
    ['Constitution Day', `${year}-06-05`, true],
    ['Christmas Eve', `${year}-12-24`, true],
    ["New Year's Eve", `${year}-12-31`, true],
  ];
  return new Map(days.filter(([, , applies]) => applies).map(([name, date]) => [name, date]));
}

const parts = new Intl.DateTimeFormat('en-GB', { timeZone: CONTRACT_ZONE, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });

/** Copenhagen's offset from UTC at an instant, in ms, read through Intl. */
function offsetAt(t: number): number {
  const p = Object.fromEntries(parts.formatToParts(t).map((x) => [x.type, Number(x.value)]));
  return Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!) - Math.floor(t / 1000) * 1000;
}

/** The instant of a Copenhagen wall-clock time (daytime: never inside a DST change). */
export function localInstant(year: number, month: number, day: number, minuteOfDay: number): number {
  const wall = Date.UTC(year, month - 1, day) + minuteOfDay * 60_000;
  return wall - offsetAt(wall - 2 * 3_600_000);
}

/** Every operating-hours 5-minute slot start of a month, from the contract's own definitions. */
export function contractSlots(year: number, month: number): number[] {
  const closed = new Set(definition(year).values());
  const slots: number[] = [];
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  for (let day = 1; day <= days; day++) {
    const weekday = ((new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 6) % 7) + 1;
    const date = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
    if (weekday < CONTRACT_HOURS.firstWeekday || weekday > CONTRACT_HOURS.lastWeekday || closed.has(date)) continue;
    for (let minute = CONTRACT_HOURS.open; minute < CONTRACT_HOURS.close; minute += 5) slots.push(localInstant(year, month, day, minute));
  }
  return slots;
}
