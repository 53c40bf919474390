import { describe, expect, it } from 'vitest';
import type { Role } from '#domain/actor';
import { displayName, namesOf, type Person, personOf, personRecorder } from '#domain/people/people';

const agent = { role: 'agent' as const };
const customer = { role: 'customer' as const };

describe('the name people read', () => {
  it.each<[string, Partial<Person> | undefined, Role | undefined, { role: 'agent' | 'customer' }, string]>([
    ["Cognito's name first", { name: 'Ada Lovelace', email: 'ada@provider.example' }, 'agent', customer, 'Ada Lovelace'],
    ['else the email, for the provider', { email: 'ada@provider.example' }, 'agent', agent, 'ada@provider.example'],
    ['but never an email for a customer: the role instead', { email: 'ada@provider.example' }, 'agent', customer, 'Support agent'],
    ['no record: the role', undefined, 'customer', agent, 'Customer'],
    ['no record and no role: no more than that', undefined, undefined, agent, 'Unknown person'],
    ['the desk itself', undefined, 'system', customer, 'sla-desk'],
    ['an erased person, whatever else the record still says', { name: 'Ada Lovelace', erasedAt: 1 }, 'agent', agent, 'Former user'],
    ['an erased person, to a customer too', { erasedAt: 1 }, 'customer', customer, 'Former user'],
  ])('%s', (_, person, role, reader, name) => expect(displayName(person, role, reader)).toBe(name));

  it('never the subject', async () => {
    const name = await namesOf({ people: async () => new Map() }, ['3f6c1c0e-uuid'], agent);
    expect(name('3f6c1c0e-uuid', 'finance')).toBe('Finance');
    expect(name('3f6c1c0e-uuid')).not.toContain('3f6c1c0e');
  });

  it('reads the distinct subjects once, and nothing for the desk or an integration', async () => {
    const asked: string[][] = [];
    const store = {
      people: async (subjects: readonly string[]) => {
        asked.push([...subjects]);
        return new Map([['u1', { subject: 'u1', name: 'Ada', role: 'agent', issuedAt: 0, updatedAt: 0 } as Person]]);
      },
    };
    const name = await namesOf(store, ['u1', 'u2', 'u1', 'sla-timer', 'system', 'schedule', 'integration:erp'], customer);
    expect(asked).toEqual([['u1', 'u2']]);
    expect([name('u1', 'agent'), name('u2', 'customer'), name('sla-timer', 'system'), name('system'), name('integration:erp', 'customer')]).toEqual([
      'Ada',
      'Customer',
      'sla-desk',
      'sla-desk',
      'erp (integration)',
    ]);
    await namesOf(store, ['system'], customer);
    expect(asked).toHaveLength(1);
  });
});

describe('a person as their token describes them', () => {
  it('keeps the name and a lower-case email, trimmed and bounded, and the token issue time', () => {
    expect(personOf({ subject: 's', role: 'customer', customerId: 'ACME' }, { name: '  Alice  ', email: 'Alice@ACME.example', iat: 1_700_000_000 }, 5)).toEqual({
      subject: 's',
      name: 'Alice',
      email: 'alice@acme.example',
      role: 'customer',
      customerId: 'ACME',
      issuedAt: 1_700_000_000_000,
      updatedAt: 5,
    });
    expect(personOf({ subject: 's', role: 'agent' }, { name: 'x'.repeat(500), email: 'not an address', iat: 'then' }, 5)).toEqual({
      subject: 's',
      name: 'x'.repeat(200),
      role: 'agent',
      issuedAt: 5,
      updatedAt: 5,
    });
  });

  it('is written once per process while the token says the same', async () => {
    const written: string[] = [];
    const record = personRecorder({
      remember: async (person) => {
        written.push(person.name ?? '');
        return true;
      },
    });
    const ada = { subject: 's', name: 'Ada', role: 'agent' as const, issuedAt: 1, updatedAt: 1 };
    await record(ada);
    await record({ ...ada, issuedAt: 2, updatedAt: 2 });
    await record({ ...ada, name: 'Ada L.' });
    expect(written).toEqual(['Ada', 'Ada L.']);
  });
});
