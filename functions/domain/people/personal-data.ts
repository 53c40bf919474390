import pMap from 'p-map';
import type { Actor } from '../actor';
import type { Instant } from '../calendar/business-calendar';
import type { ConsultancyEvent } from '../consultancy/consultancy-store';
import type { BillableEntry } from '../consultancy/statement';
import type { CustomerEvent, CustomerStore } from '../customers/customer';
import { ConcurrentWriteError, NotFoundError } from '../errors';
import type { AlertMessage } from '../notifications/alerts';
import { authorize } from '../policy';
import type { Attachment } from '../tickets/attachments';
import type { Comment, TicketEvent } from '../tickets/ticket';
import type { Person, PersonStore } from './people';
import { FORMER_USER } from '../wording';
import { escapeHtml, paragraphHtml, paragraphs } from '../notifications/message-text';

/** One thing a person did, as the store keeps it. */
export type PersonalAct =
  | { readonly kind: 'ticket-event'; readonly event: TicketEvent }
  | { readonly kind: 'comment'; readonly comment: Comment }
  | { readonly kind: 'attachment'; readonly attachment: Attachment }
  | { readonly kind: 'customer-event'; readonly event: CustomerEvent }
  | { readonly kind: 'consultancy-event'; readonly event: ConsultancyEvent }
  | { readonly kind: 'time-entry'; readonly entry: BillableEntry }
  /** An email they sent in: where its raw bytes are kept, if they are (SES's bucket, 30 days). */
  | { readonly kind: 'inbound-email'; readonly at: Instant; readonly rawKey?: string };

/** What was done with a person's data: who asked, when and why; never the person's own data. */
export interface PersonDataEvent {
  readonly subject: string;
  readonly type: 'person.exported' | 'person.erased';
  readonly at: Instant;
  readonly by: string;
  readonly reason: string;
}

/**
 * Where the emails that may name a person are kept: the tickets they took part
 * in and, for a customer's person, every ticket of the customer, the
 * customer's own messages and its service-window notices; and the polite
 * refusals sent to their address.
 */
export interface MailScope {
  readonly ticketIds: readonly string[];
  readonly customerId?: string;
  readonly email?: string;
}

/** The port for finding a person's data without a scan. */
export interface PersonalDataStore {
  /** Everything the person did, oldest first (the acts index). */
  acts(subject: string): Promise<readonly PersonalAct[]>;
  /** The emails kept about a scope, as the outbox keeps them. */
  keptMail(scope: MailScope): Promise<readonly { readonly message: AlertMessage; readonly createdAt: Instant; readonly sentAt?: Instant }[]>;
  record(event: PersonDataEvent, unique: string): Promise<void>;
  /** A comment's body replaced by `text` (erasure with redaction); the comment stays, its author too. */
  redact(comment: Comment, text: string): Promise<void>;
  /** A ticket's description, while the ticket is kept. */
  description(ticketId: string): Promise<string | undefined>;
  /** A ticket's description replaced by `text`, on the version read (a new version, so no write from before undoes it); whether it changed. */
  redactDescription(ticketId: string, text: string): Promise<boolean>;
  /** An attachment's record, gone with its bytes. */
  forget(attachment: Attachment): Promise<void>;
  /** Rewrites the messages kept about a scope, each through `scrub`: changed, dropped, or left; how many changed. */
  scrubMail(scope: MailScope, scrub: (message: AlertMessage) => AlertMessage | undefined): Promise<number>;
  /** The person record emptied of name and address and marked erased, with the erasure's own record, in one write; nothing if erased before. */
  empty(erasure: PersonDataEvent): Promise<void>;
}

/** Deletes and redactions run this many at a time (and beside the mail's scrub), so a long history is erased within one request's time. */
const AT_ONCE = 16;

/** What a redacted comment reads. */
const REDACTED = '[removed on request]';

export interface PersonalDataDeps {
  readonly people: Pick<PersonStore, 'people' | 'withEmail'>;
  readonly customers: Pick<CustomerStore, 'getCustomer' | 'putCustomer'>;
  readonly personalData: PersonalDataStore;
  /** Attachments' bytes, which erasure deletes. */
  readonly attachmentFiles?: { delete(attachment: Attachment): Promise<void> };
  /** The stack's own log of sent mail (the local outbox file; SES keeps none), scrubbed the same way. */
  readonly sentMail?: { scrub(scrub: (message: Pick<AlertMessage, 'subject' | 'body' | 'recipients'>) => 'drop' | Pick<AlertMessage, 'subject' | 'body' | 'recipients'> | undefined): Promise<void> };
  /** Raw inbound emails (the inbound bucket on AWS; none are kept locally), which erasure deletes. */
  readonly rawMail?: { delete(rawKey: string): Promise<void> };
  /** People's accounts (the user pool, or the local stack's), which erasure deletes. */
  readonly accounts?: { remove(email: string): Promise<boolean> };
  readonly now: () => number;
}

const iso = (at: Instant | undefined) => (at === undefined ? undefined : new Date(at).toISOString());

/**
 * A person's data as one document (GDPR Articles 15 and 20): their record and
 * customer, what they opened, wrote, attached, approved, logged and signed
 * off, and the emails to them that are still kept. Asking is itself recorded.
 */
export class PersonalDataService {
  constructor(private readonly deps: PersonalDataDeps) {}

  private async person(subject: string): Promise<Person> {
    const person = (await this.deps.people.people([subject])).get(subject);
    if (!person) throw new NotFoundError(`no person ${subject} is known`);
    return person;
  }

  async export(actor: Actor, subject: string, reason: string) {
    authorize(actor, 'person.data');
    const person = await this.person(subject);
    const at = this.deps.now();
    await this.deps.personalData.record({ subject, type: 'person.exported', at, by: actor.subject, reason }, `${at}-${actor.subject}`);
    const [acts, profile] = await Promise.all([this.deps.personalData.acts(subject), person.customerId ? this.deps.customers.getCustomer(person.customerId) : undefined]);
    const contact = person.email ? profile?.contacts.find((c) => c.email.toLowerCase() === person.email) : undefined;
    const of = <K extends PersonalAct['kind']>(kind: K) => acts.filter((a): a is Extract<PersonalAct, { kind: K }> => a.kind === kind);
    const ticketEvents = of('ticket-event').map((a) => a.event);
    // The emails kept that were addressed to them.
    const mail = person.email ? (await this.deps.personalData.keptMail(mailScope(person, acts))).filter((m) => m.message.recipients?.some((r) => r.toLowerCase() === person.email)) : [];
    return {
      exportedAt: iso(at),
      exportedBy: actor.subject,
      person: {
        subject,
        role: person.role,
        ...(person.name ? { name: person.name } : {}),
        ...(person.email ? { email: person.email } : {}),
        ...(person.customerId ? { customerId: person.customerId } : {}),
      },
      customer: profile
        ? { customerId: profile.customerId, name: profile.name, ...(contact ? { contact: { email: contact.email, ...(contact.name ? { name: contact.name } : {}), receives: contact.receives } } : {}) }
        : null,
      ticketsOpened: ticketEvents.filter((e) => e.type === 'ticket.opened').map((e) => ({ ticketId: e.ticketId, at: iso(e.at), ...e.changes })),
      comments: of('comment').map(({ comment: c }) => ({ ticketId: c.ticketId, id: c.id, body: c.body, visibility: c.visibility, createdAt: iso(c.createdAt) })),
      attachments: of('attachment').map(({ attachment: a }) => ({
        ticketId: a.ticketId,
        id: a.id,
        filename: a.filename,
        contentType: a.contentType,
        size: a.size,
        status: a.status,
        createdAt: iso(a.createdAt),
        link: `/tickets/${a.ticketId}/attachments/${a.id}`,
      })),
      ticketEvents: ticketEvents.map((e) => ({ ticketId: e.ticketId, type: e.type, at: iso(e.at), changes: e.changes })),
      consultancy: {
        decisions: of('consultancy-event').map(({ event: e }) => ({ requestId: e.requestId, type: e.type, at: iso(e.at), ...(e.details ? { details: e.details } : {}) })),
        timeEntries: of('time-entry').map(({ entry: e }) => ({ requestId: e.requestId, id: e.id, date: e.date, quarters: e.quarters, note: e.note, loggedAt: iso(e.logged.at) })),
      },
      inboundEmails: of('inbound-email').map((a) => ({ settledAt: iso(a.at), rawKept: a.rawKey !== undefined })),
      customerEvents: of('customer-event').map(({ event: e }) => ({ customerId: e.customerId, type: e.type, at: iso(e.at), ...(e.details ? { details: e.details } : {}) })),
      emails: mail.map((m) => ({
        id: m.message.id,
        kind: m.message.kind,
        subject: m.message.subject,
        body: m.message.body,
        queuedAt: iso(m.createdAt),
        ...(m.sentAt !== undefined ? { sentAt: iso(m.sentAt) } : {}),
      })),
    };
  }

  /**
   * Erases a person (GDPR Article 17): their account, their place among their
   * customer's contacts, the files they attached, and, when asked, the text of
   * their comments; then their person record is emptied, so every name of
   * theirs reads "Former user". What billing and the SLA rest on stays, under
   * the person's id: tickets' times, priorities and outcomes, time entries and
   * approved hours. Each step can run again; the record is emptied last, so a
   * run cut short still knows the address the first steps need. A second
   * erasure changes nothing.
   */
  async erase(actor: Actor, subject: string, request: { readonly reason: string; readonly redactText?: boolean }) {
    authorize(actor, 'person.data');
    const person = await this.person(subject);
    // Erased before: every step was done, and the record says so. Nothing changes.
    if (person.erasedAt !== undefined)
      return { subject, erased: false, account: false, contact: false, attachments: 0, redactedComments: 0, redactedDescriptions: 0, messages: 0, rawEmails: 0, alsoErased: [] };
    // The same address under another id (a contact's pseudonym from before their account, or the account of a
    // contact erased by pseudonym) is the same person: erased with them, each with its own record of it.
    const others = person.email ? (await this.deps.people.withEmail(person.email)).filter((p) => p.subject !== subject && p.erasedAt === undefined) : [];
    // Every name they went by, read before anything changes: a run cut short and run again scrubs the same.
    const names = await this.namesOf([person, ...others]);
    // The others first, the one asked for last: until its record is emptied, a run again finds them by its address.
    const plans = await Promise.all([...others, person].map((p) => this.plan(p, request)));
    // The emails kept about them, once for every id: their address out of the recipients (a message for them alone is
    // withdrawn, never sent), their names and address out of the text, and what they wrote when it is redacted.
    const mail = person.email
      ? messageScrubber(
          person.email,
          names,
          plans.flatMap((p) => p.written),
        )
      : undefined;
    // Each touches items of its own, so all at once: a long history is erased within one request's time.
    const [messages, accounts] = await Promise.all([
      mail ? pMap(mailScopes(plans), (scope) => this.deps.personalData.scrubMail(scope, mail)) : [],
      Promise.all(plans.map((p) => (p.person.email ? this.deps.accounts?.remove(p.person.email) : false))),
      mail ? this.deps.sentMail?.scrub((message) => forThemAlone(message, mail(message))) : undefined,
      pMap(
        plans.flatMap((p) => p.files),
        async (file) => {
          await this.deps.attachmentFiles?.delete(file);
          await this.deps.personalData.forget(file);
        },
        { concurrency: AT_ONCE },
      ),
      pMap(
        plans.flatMap((p) => p.raw),
        (key) => this.deps.rawMail?.delete(key),
        { concurrency: AT_ONCE },
      ),
    ]);
    const steps = [];
    for (const plan of plans) steps.push(await this.finish(actor, plan, request.reason));
    // What was done under any of their ids.
    const all = plans.flatMap((p) => p.files);
    return {
      subject,
      erased: true,
      account: accounts.some(Boolean),
      contact: steps.some((s) => s.contact),
      attachments: all.length,
      redactedComments: plans.reduce((sum, p) => sum + p.comments.length, 0),
      redactedDescriptions: steps.reduce((sum, s) => sum + s.descriptions, 0),
      messages: messages.reduce((sum, n) => sum + n, 0),
      rawEmails: this.deps.rawMail ? plans.reduce((sum, p) => sum + p.raw.length, 0) : 0,
      alsoErased: others.map((p) => p.subject),
    };
  }

  /** Their names: on their records, and on their customers' contact entries for their address. */
  private async namesOf(people: readonly Person[]): Promise<string[]> {
    const customers = [...new Set(people.flatMap((p) => (p.customerId ? [p.customerId] : [])))];
    const profiles = await Promise.all(customers.map((id) => this.deps.customers.getCustomer(id)));
    const addresses = new Set(people.flatMap((p) => (p.email ? [p.email] : [])));
    const contacts = profiles.flatMap((profile) => profile?.contacts.filter((c) => addresses.has(c.email.toLowerCase())) ?? []);
    return [...new Set([...people.map((p) => p.name), ...contacts.map((c) => c.name)].filter((n): n is string => Boolean(n)))];
  }

  /** What erasing one id touches, read before anything changes. */
  private async plan(person: Person, request: { readonly redactText?: boolean }) {
    const acts = await this.deps.personalData.acts(person.subject);
    const comments = request.redactText ? acts.flatMap((a) => (a.kind === 'comment' && a.comment.body !== REDACTED ? [a.comment] : [])) : [];
    // The tickets they opened: a description is their first message.
    const opened = request.redactText ? acts.flatMap((a) => (a.kind === 'ticket-event' && a.event.type === 'ticket.opened' ? [a.event.ticketId] : [])) : [];
    const descriptions = await pMap(opened, (ticketId) => this.deps.personalData.description(ticketId), { concurrency: AT_ONCE });
    return {
      person,
      acts,
      files: acts.flatMap((a) => (a.kind === 'attachment' ? [a.attachment] : [])),
      // The raw emails they sent, kept 30 days to replay a failed run.
      raw: acts.flatMap((a) => (a.kind === 'inbound-email' && a.rawKey ? [a.rawKey] : [])),
      comments,
      opened,
      written: [...comments.map((c) => c.body), ...descriptions].filter((t): t is string => t !== undefined && t !== REDACTED),
    };
  }

  /** One id's last steps: its text (after the emails quoting it), its contact entry, then its record, emptied. */
  private async finish(actor: Actor, plan: Awaited<ReturnType<PersonalDataService['plan']>>, reason: string) {
    const { person } = plan;
    const [redacted] = await Promise.all([
      pMap(plan.opened, (ticketId) => this.deps.personalData.redactDescription(ticketId, REDACTED), { concurrency: AT_ONCE }),
      pMap(plan.comments, (comment) => this.deps.personalData.redact(comment, REDACTED), { concurrency: AT_ONCE }),
    ]);
    // Off their customer's contacts once the emails are scrubbed, so a run cut short still knows whom to write to.
    const contact = person.email && person.customerId ? await this.leaveContacts(person.customerId, person.email, actor) : undefined;
    // Last, so a run cut short still knows the address; with who erased, when and why (nothing of the person but their id).
    await this.deps.personalData.empty({ subject: person.subject, type: 'person.erased', at: this.deps.now(), by: actor.subject, reason });
    return { contact: contact !== undefined, descriptions: redacted.filter(Boolean).length };
  }

  /** Takes the address off the customer's contacts, on the version read (a concurrent save is read again); the entry it took off. */
  private async leaveContacts(customerId: string, email: string, actor: Actor): Promise<{ readonly name?: string } | undefined> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const profile = await this.deps.customers.getCustomer(customerId);
      const entry = profile?.contacts.find((c) => c.email.toLowerCase() === email);
      const left = profile?.contacts.filter((c) => c !== entry) ?? [];
      if (!profile || !entry) return undefined;
      const at = this.deps.now();
      const next = { ...profile, contacts: left, version: profile.version + 1, updatedAt: at };
      const saved = await this.deps.customers.putCustomer(next, profile.version, { customerId, type: 'customer.saved', at, by: actor.subject, details: { version: next.version } });
      if (saved === 'written') return entry;
    }
    throw new ConcurrentWriteError('the customer was being saved at the same time; erase again');
  }
}

/** Where the emails that may name this person are kept. */
function mailScope(person: Person, acts: readonly PersonalAct[]): MailScope {
  const ticketIds = acts.flatMap((a) => (a.kind === 'ticket-event' ? [a.event.ticketId] : a.kind === 'comment' ? [a.comment.ticketId] : a.kind === 'attachment' ? [a.attachment.ticketId] : []));
  return { ticketIds: [...new Set(ticketIds)], ...(person.customerId ? { customerId: person.customerId } : {}), ...(person.email ? { email: person.email } : {}) };
}

/** The scopes of one person's ids, one per customer: each customer's emails are gone through once. */
function mailScopes(plans: readonly { readonly person: Person; readonly acts: readonly PersonalAct[] }[]): MailScope[] {
  const byCustomer = new Map<string | undefined, MailScope>();
  for (const { person, acts } of plans) {
    const scope = mailScope(person, acts);
    const seen = byCustomer.get(scope.customerId);
    byCustomer.set(scope.customerId, seen ? { ...seen, ticketIds: [...new Set([...seen.ticketIds, ...scope.ticketIds])] } : scope);
  }
  return [...byCustomer.values()];
}

const literally = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Whether a scrubbed message is left for nobody: it was for the erased person alone ('drop' where a log keeps it). */
function forThemAlone<M extends Pick<AlertMessage, 'recipients'>>(message: M, scrubbed: M | undefined): M | 'drop' | undefined {
  return scrubbed && message.recipients?.length && scrubbed.recipients?.length === 0 ? 'drop' : scrubbed;
}

/** A name or address where it stands as a word of its own, so a short name leaves longer words be. */
const asWord = (text: string) => `(?<![\\p{L}\\p{N}])${literally(text)}(?![\\p{L}\\p{N}])`;

/**
 * What an erasure does to a message kept: the address leaves its recipients
 * (a message for the person alone is left with none), and their names and
 * address leave its text ("Former user", "[removed on request]"), the HTML
 * part's escaped forms too. Undefined: nothing of theirs in it.
 */
export function messageScrubber(email: string, names: readonly string[], texts: readonly string[] = []) {
  const pattern = (parts: readonly string[], whole: (part: string) => string) => (parts.length ? new RegExp(parts.map(whole).join('|'), 'giu') : undefined);
  // What they wrote, as a letter quotes it, a paragraph at a time.
  const quoted = [...new Set(texts.flatMap(paragraphs))];
  // In plain text as written; in the HTML part as escaped.
  const forms = (form: (text: string) => string, paragraph: (text: string) => string) => ({
    texts: pattern(quoted.map(paragraph), literally),
    address: new RegExp(asWord(form(email)), 'giu'),
    names: pattern(names.map(form), asWord),
  });
  const plain = forms(
    (t) => t,
    (t) => t,
  );
  const html = forms(escapeHtml, paragraphHtml);
  const text = (value: string, written: typeof plain) => {
    // Their text first, then the address (a name may be the start of it), then their names.
    const withoutText = written.texts ? value.replace(written.texts, REDACTED) : value;
    const withoutAddress = withoutText.replace(written.address, REDACTED);
    return written.names ? withoutAddress.replace(written.names, FORMER_USER) : withoutAddress;
  };
  return <M extends Pick<AlertMessage, 'subject' | 'body' | 'recipients'> & { readonly html?: string }>(message: M): M | undefined => {
    const recipients = message.recipients?.filter((r) => r.toLowerCase() !== email);
    const scrubbed = {
      ...message,
      subject: text(message.subject, plain),
      body: text(message.body, plain),
      ...(message.html !== undefined ? { html: text(message.html, html) } : {}),
      ...(recipients ? { recipients } : {}),
    };
    const changed = scrubbed.subject !== message.subject || scrubbed.body !== message.body || scrubbed.html !== message.html || recipients?.length !== message.recipients?.length;
    return changed ? scrubbed : undefined;
  };
}
