import { InvalidInputError } from '../errors';

/** The contract bills consultancy by the quarter-hour, and no entry exceeds a day. */
const MAX_QUARTERS_PER_ENTRY = 24 * 4;

export class InvalidHoursError extends InvalidInputError {
  readonly type = 'invalid-hours';
}

/** Hours as whole quarter-hours: 1.75 → 7. A quarter is exact in binary, so ×4 is exact too. */
export function quartersOf(hours: number, max = MAX_QUARTERS_PER_ENTRY): number {
  const quarters = hours * 4;
  if (!Number.isFinite(hours) || !Number.isInteger(quarters) || quarters <= 0 || quarters > max) {
    throw new InvalidHoursError(`hours are a positive multiple of 0.25, at most ${max / 4}, not ${hours}`);
  }
  return quarters;
}

export const hoursOf = (quarters: number) => quarters / 4;
