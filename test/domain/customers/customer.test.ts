import { describe, expect, it } from 'vitest';
import { contactsFor, type CustomerProfile } from '#domain/customers/customer';
import { inHypercare } from '#domain/hypercare/hypercare';
import { parseInstant } from '#domain/instant';

const at = parseInstant;
const profile = (hypercare?: CustomerProfile['hypercare']): CustomerProfile => ({
  customerId: 'ACME',
  name: 'Acme',
  contacts: [
    { email: 'ops@acme.example', receives: ['alerts', 'notices'] },
    { email: 'cfo@acme.example', receives: ['reports', 'approvals'] },
    { email: 'pm@acme.example', receives: ['updates', 'alerts'] },
  ],
  ...(hypercare ? { hypercare } : {}),
  updatedAt: 0,
  version: 1,
});

describe('contacts by purpose', () => {
  it.each([
    ['alerts', ['ops@acme.example', 'pm@acme.example']],
    ['notices', ['ops@acme.example']],
    ['approvals', ['cfo@acme.example']],
    ['reports', ['cfo@acme.example']],
    ['updates', ['pm@acme.example']],
  ] as const)('%s go to %j', (purpose, emails) => {
    expect(contactsFor(profile(), purpose)).toEqual(emails);
  });

  it('a customer without a record has none', () => {
    expect(contactsFor(undefined, 'alerts')).toEqual([]);
  });
});

describe('hypercare flag on alerts', () => {
  const period = { goLiveAt: at('2026-11-02T08:00:00+01:00'), weeks: 4, extensions: [] };
  it.each<[string, CustomerProfile | undefined, string, boolean]>([
    ['no profile', undefined, '2026-11-10T09:00:00+01:00', false],
    ['no go-live agreed', profile(), '2026-11-10T09:00:00+01:00', false],
    ['before go-live', profile(period), '2026-11-02T07:59:00+01:00', false],
    ['within the period', profile(period), '2026-11-10T09:00:00+01:00', true],
    ['after the planned end, not concluded: still in hypercare (overdue)', profile(period), '2026-12-10T09:00:00+01:00', true],
    [
      'concluded',
      profile({
        ...period,
        customerSignoff: { at: at('2026-11-03T09:00:00+01:00'), by: 'c' },
        providerSignoff: { at: at('2026-11-03T09:00:00+01:00'), by: 'p' },
        transition: { at: at('2026-11-04T09:00:00+01:00'), by: 'a' },
      }),
      '2026-11-17T09:00:00+01:00',
      false,
    ],
  ])('%s', (_, p, now, expected) => {
    expect(inHypercare(p, at(now))).toBe(expected);
  });
});
