import { describe, expect, it } from 'vitest';
import { InvalidInstantError } from '#domain/errors';
import { parseInstant } from '#domain/instant';

describe('parseInstant', () => {
  it.each([
    ['2026-06-04T15:30:00+02:00', Date.UTC(2026, 5, 4, 13, 30)],
    ['2026-06-04T13:30:00Z', Date.UTC(2026, 5, 4, 13, 30)],
    ['2026-06-04T13:30Z', Date.UTC(2026, 5, 4, 13, 30)],
    ['2026-06-04T13:30:00.123Z', Date.UTC(2026, 5, 4, 13, 30, 0, 123)],
    ['2026-06-04T15:30:00+0200', Date.UTC(2026, 5, 4, 13, 30)],
  ])('reads %s', (text, expected) => {
    expect(parseInstant(text)).toBe(expected);
  });

  it.each(['2026-06-04T15:30:00', '2026-06-04', '2026-13-04T15:30:00Z', '2026-02-30T10:00:00Z', 'yesterday', '', 1780000000000, null])('refuses %j', (value) => {
    expect(() => parseInstant(value)).toThrow(InvalidInstantError);
  });
});
