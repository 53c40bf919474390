import type { CustomerStore } from '../../domain/customers/customer';
import type { KnownSender } from '../../domain/inbound/inbound-message';
import type { SenderDirectory } from '../../domain/inbound/inbound-ports';
import { isPseudonym } from '../../domain/inbound/reply-address';
import type { PersonStore } from '../../domain/people/people';

/**
 * The senders the desk knows: a customer's users, by their person records
 * (found by address), then the customers' contacts, from every customer's
 * record (one query of the customers' list, kept for a minute: a contact added
 * now is known within it). A user comes first, so they act as themselves, not
 * under a contact's pseudonym. A pseudonym's own record (a contact who wrote
 * before) makes no one known: only the customer's list of contacts does.
 */
export class ContactDirectory implements SenderDirectory {
  private cached: { at: number; senders: Promise<readonly KnownSender[]> } | undefined;

  constructor(
    private readonly customers: Pick<CustomerStore, 'allCustomers'>,
    private readonly people: Pick<PersonStore, 'withEmail'>,
    private readonly now: () => number,
    private readonly maxAgeMs = 60_000,
  ) {}

  async whoIs(email: string): Promise<readonly KnownSender[]> {
    const address = email.toLowerCase();
    const [records, contacts] = await Promise.all([this.people.withEmail(address), this.all()]);
    const users: KnownSender[] = records
      .filter((p) => p.role === 'customer' && p.customerId && !isPseudonym(p.subject))
      .map((p) => ({ customerId: p.customerId!, email: address, subject: p.subject, ...(p.name ? { name: p.name } : {}) }));
    return [...users, ...contacts.filter((s) => s.email === address)];
  }

  private all(): Promise<readonly KnownSender[]> {
    if (!this.cached || this.now() - this.cached.at > this.maxAgeMs) {
      const senders = this.customers
        .allCustomers()
        .then((profiles) => profiles.flatMap((p) => p.contacts.map((c) => ({ customerId: p.customerId, email: c.email.toLowerCase(), ...(c.name ? { name: c.name } : {}) }))));
      this.cached = { at: this.now(), senders };
      senders.catch(() => {
        this.cached = undefined;
      });
    }
    return this.cached.senders;
  }
}
