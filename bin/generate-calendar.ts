/**
 * `npm run generate:calendar`: writes the Danish contract calendar's closed
 * days, evaluated from its rules with date-holidays, into a module the
 * functions read, so no Lambda bundle carries date-holidays.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { closedDayTableModule } from '../functions/domain/calendar/closed-days';
import { danishContractCalendar } from '../functions/domain/calendar/danish-calendar';

export const GENERATED_TABLE = join(import.meta.dirname, '../functions/domain/calendar/danish-closed-days.ts');

await writeFile(GENERATED_TABLE, closedDayTableModule(danishContractCalendar, 'DANISH_CLOSED_DAYS'));
console.log(`wrote ${GENERATED_TABLE}`);
