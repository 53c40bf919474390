import { type Actor, type CallerRole, INTEGRATION_SUBJECT, isSystem, type Role } from '../actor';
import type { Instant } from '../calendar/business-calendar';
import { authorize } from '../policy';
import { FORMER_USER, ROLE_NAMES, SYSTEM_NAME, UNKNOWN_PERSON } from '../wording';

/**
 * One record per person, keyed by their token's subject: the one place their
 * name and email live. Events, comments and approvals keep the subject alone,
 * and every answer that names a person reads the name from here when it is
 * given, so a new name shows on old events and an emptied record names no one.
 */
export interface Person {
  readonly subject: string;
  /** Cognito's `name` attribute, as their latest token said it. */
  readonly name?: string;
  readonly email?: string;
  readonly role: CallerRole;
  /** Set for a customer's people. */
  readonly customerId?: string;
  /** When the token the record was written from was issued: an older token never overwrites a newer one. */
  readonly issuedAt: Instant;
  /** Set when the person was erased: the record keeps no name or address, and reads "Former user". */
  readonly erasedAt?: Instant;
  readonly updatedAt: Instant;
}

/** The port for person records. */
export interface PersonStore {
  /** Writes the record unless it says this already, or a token issued later wrote it; whether it was written. */
  remember(person: Person): Promise<boolean>;
  /** The records of these subjects that exist, in one read however many repeat. */
  people(subjects: readonly string[]): Promise<ReadonlyMap<string, Person>>;
  /** The people who may own tickets (agents and admins), by name, a page at a time. */
  desk(limit: number, cursor?: string): Promise<{ readonly items: readonly Person[]; readonly nextCursor: string | null }>;
  /** Everyone whose record has this address (any case), at most a page of them. */
  withEmail(email: string): Promise<readonly Person[]>;
}

/** Names and addresses are kept to this length: a token's claims are the person's own to set. */
const MAX_NAME = 200;

const claim = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() !== '' ? value.trim().slice(0, MAX_NAME) : undefined);

/** What a person's verified token says of them, as their record keeps it. */
export function personOf(actor: { subject: string; role: CallerRole; customerId?: string }, claims: { name?: unknown; email?: unknown; iat?: unknown }, now: Instant): Person {
  const name = claim(claims.name);
  const email = claim(claims.email)?.toLowerCase();
  return {
    subject: actor.subject,
    ...(name ? { name } : {}),
    ...(email?.includes('@') ? { email } : {}),
    role: actor.role,
    ...(actor.customerId ? { customerId: actor.customerId } : {}),
    issuedAt: typeof claims.iat === 'number' ? claims.iat * 1000 : now,
    updatedAt: now,
  };
}

/** The word for someone with no record: the desk itself, their role, or, where the act kept no role, no more than that. */
const roleWord = (role: Role | undefined): string => (role === 'system' ? SYSTEM_NAME : role ? ROLE_NAMES[role] : UNKNOWN_PERSON);

/**
 * The name people read: Cognito's `name`, else the email where the reader may
 * see it, else the role. Never the subject. A customer reads no address: the
 * provider's people are names or roles to them, and so are their colleagues.
 */
export function displayName(person: Pick<Person, 'name' | 'email' | 'erasedAt'> | undefined, role: Role | undefined, reader: Pick<Actor, 'role'>): string {
  if (person?.erasedAt !== undefined) return FORMER_USER;
  if (person?.name) return person.name;
  if (person?.email && reader.role !== 'customer') return person.email;
  return roleWord(role);
}

/** The name of whoever acted, by subject, with the role the act recorded when it did. */
export type NameOf = (subject: string, role?: Role) => string;

/**
 * The names of everyone an answer mentions, for `reader`: one read of the
 * distinct subjects (none for the desk's own acts and integrations). A
 * subject with no record reads as the role the act recorded; the record's
 * role speaks for an act that kept none.
 */
export async function namesOf(store: Pick<PersonStore, 'people'>, subjects: Iterable<string>, reader: Pick<Actor, 'role'>): Promise<NameOf> {
  const people = [...new Set(subjects)].filter((subject) => !isSystem({ subject }) && !subject.startsWith(INTEGRATION_SUBJECT));
  const records = people.length ? await store.people(people) : new Map<string, Person>();
  return (subject, role) => {
    if (isSystem({ subject, ...(role ? { role } : {}) })) return SYSTEM_NAME;
    // A customer's system, named by the id an admin registered it under.
    if (subject.startsWith(INTEGRATION_SUBJECT)) return `${subject.slice(INTEGRATION_SUBJECT.length)} (integration)`;
    const person = records.get(subject);
    return displayName(person, role ?? person?.role, reader);
  };
}

/** At most this many people's last claims are kept per process (a map, oldest out first). */
const REMEMBERED = 10_000;

/**
 * Records people as their tokens describe them, writing only what changed:
 * within a process a person whose token says what it said before costs
 * nothing, and the store's conditional write skips what the record says already.
 */
export function personRecorder(store: Pick<PersonStore, 'remember'>): (person: Person) => Promise<void> {
  const seen = new Map<string, string>();
  return async (person) => {
    const said = JSON.stringify([person.name, person.email, person.role, person.customerId]);
    if (seen.get(person.subject) === said) return;
    await store.remember(person);
    seen.delete(person.subject);
    if (seen.size >= REMEMBERED) seen.delete(seen.keys().next().value!);
    seen.set(person.subject, said);
  };
}

/** Whoever has this address (admins): the id a data subject's request starts from, with their role, customer and name. */
export async function peopleWithEmail(store: Pick<PersonStore, 'withEmail'>, reader: Pick<Actor, 'role'>, email: string) {
  authorize(reader, 'person.data');
  const found = await store.withEmail(email);
  return {
    items: found.map((p) => ({
      subject: p.subject,
      role: p.role,
      name: displayName(p, p.role, reader),
      ...(p.email ? { email: p.email } : {}),
      ...(p.customerId ? { customerId: p.customerId } : {}),
    })),
    nextCursor: null,
  };
}

/**
 * The provider's people who may own tickets, for the assign menu: agents and
 * admins alike, each by subject, role and the name the reader reads. Only
 * those whose token the desk has seen are known.
 */
export async function assignablePeople(store: Pick<PersonStore, 'desk'>, reader: Pick<Actor, 'role'>, limit: number, cursor?: string) {
  authorize(reader, 'people.list');
  const page = await store.desk(limit, cursor);
  return { items: page.items.map((person) => ({ subject: person.subject, role: person.role, name: displayName(person, person.role, reader) })), nextCursor: page.nextCursor };
}
