import { CONTRACT_ZONE } from '../contract';
import { BusinessCalendar } from './business-calendar';
import type { CalendarConfig, OpeningHours } from './calendar-config';
import { ClosedDayTable } from './closed-day-table';
import { DANISH_CLOSED_DAYS } from './danish-closed-days';

const OFFICE: readonly OpeningHours[] = [['08:00', '16:00']];

/**
 * The contract's operating hours: Danish business days (Monday–Friday,
 * excluding public holidays and bank closing days), 08:00–16:00 Copenhagen time.
 */
export const danishContractCalendar: CalendarConfig = {
  timeZone: CONTRACT_ZONE,
  weeklyHours: { 1: OFFICE, 2: OFFICE, 3: OFFICE, 4: OFFICE, 5: OFFICE },
  closedDays: [
    {
      reason: 'public holiday',
      // date-holidays' DK data already ends Store Bededag with 2023 ("prior to 2024").
      source: 'Danish public holidays (helligdage) per date-holidays DK data; Store Bededag abolished from 2024',
      country: { code: 'DK', types: ['public'] },
    },
    {
      reason: 'bank closing day',
      // date-holidays lists 5 June and 24 December only as observances, and not
      // 31 December or the Friday after Ascension at all.
      source: "Danmarks Nationalbank, 'Banklukkedage'",
      rules: [
        { rule: 'easter 40 since 2009', name: 'Friday after Ascension Day' },
        { rule: '06-05', name: 'Constitution Day' },
        { rule: '12-24', name: 'Christmas Eve' },
        { rule: '12-31', name: "New Year's Eve" },
      ],
    },
  ],
  years: { from: 2000, to: 2100 },
};

let shared: BusinessCalendar | undefined;

/**
 * The contract calendar, built once per process and shared (its year tables
 * are caches). Its closed days come from the table generated from the rules
 * above, so no function loads date-holidays.
 */
export function danishCalendar(): BusinessCalendar {
  shared ??= new BusinessCalendar(danishContractCalendar, new ClosedDayTable(DANISH_CLOSED_DAYS));
  return shared;
}
