import type { Actor, Role } from '../../domain/actor';
import { type NameOf, namesOf, type PersonStore } from '../../domain/people/people';

type Person = { readonly subject: string; readonly role: Role };

/** A person as an answer names them: by subject and role, and by the name read from their record. */
const named = (person: Person, name: NameOf) => ({ subject: person.subject, role: person.role, name: name(person.subject, person.role) });

/**
 * Items that each name a person in `field`, given the name people read
 * beside subject and role: the records of all of them read at once.
 */
export async function withNames<T, K extends keyof T>(items: readonly T[], field: K, reader: Pick<Actor, 'role'>, people: Pick<PersonStore, 'people'>) {
  const name = await namesOf(
    people,
    items.map((item) => (item[field] as Person).subject),
    reader,
  );
  return items.map((item) => ({ ...item, [field]: named(item[field] as Person, name) }));
}

/** Items with a `by` subject, given the name people read as `byName`: the records of all of them read at once. */
export async function withByNames<T extends { readonly by: string }>(items: readonly T[], reader: Pick<Actor, 'role'>, people: Pick<PersonStore, 'people'>) {
  const name = await namesOf(
    people,
    items.map((item) => item.by),
    reader,
  );
  return items.map((item) => ({ ...item, byName: name(item.by) }));
}
