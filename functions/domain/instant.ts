import { DateTime } from 'luxon';
import type { Instant } from './calendar/business-calendar';
import { InvalidInstantError } from './errors';

// An instant must say where it is: a bare local time would be ambiguous.
const WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i;

/** Parses an ISO 8601 instant that carries an offset or Z. */
export function parseInstant(value: unknown): Instant {
  if (typeof value !== 'string' || !WITH_OFFSET.test(value)) throw new InvalidInstantError(value);
  const parsed = DateTime.fromISO(value, { setZone: true });
  if (!parsed.isValid) throw new InvalidInstantError(value);
  return parsed.toMillis();
}
