import { describe, expect, it } from 'vitest';
import { UnknownImpactError, UnknownPriorityError } from '#domain/errors';
import { DEFINITIONS_OF_USAGE, firstResponseMinutes, IMPACTS, parsePriority, priorityForImpact } from '#domain/sla/sla-policy';

describe('the SLA policy from the contract', () => {
  it.each([
    ['highest', 60],
    ['high', 240],
    ['medium', 480],
    ['low', 720],
    ['lowest', 960],
  ] as const)('%s gets a first response within %i business minutes', (priority, minutes) => {
    expect(firstResponseMinutes(priority)).toBe(minutes);
  });

  it.each([
    ['all-users-data-loss-risk', 'highest', 'All users affected – risk of data loss'],
    ['some-users-data-loss-risk', 'high', 'Some users affected – risk of data loss'],
    ['some-users-no-data-loss', 'medium', 'Some users affected – no data loss'],
    ['single-user', 'low', 'Single user affected'],
    ['inquiry', 'lowest', 'Inquiry'],
  ] as const)('impact %s is priority %s (%s)', (impact, priority, definition) => {
    expect(priorityForImpact(impact)).toBe(priority);
    expect(DEFINITIONS_OF_USAGE[impact].definition).toBe(definition);
  });

  it('covers every impact', () => {
    expect(Object.keys(DEFINITIONS_OF_USAGE).sort()).toEqual([...IMPACTS].sort());
  });

  it.each(['urgent', 'HIGH', '', 3, null, undefined, 'toString'])('refuses priority %j with a typed error', (value) => {
    expect(() => parsePriority(value)).toThrow(UnknownPriorityError);
  });

  it.each(['everyone', 'toString', 1, null])('refuses impact %j with a typed error', (value) => {
    expect(() => priorityForImpact(value)).toThrow(UnknownImpactError);
  });
});
