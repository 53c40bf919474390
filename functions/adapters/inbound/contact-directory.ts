import type { CustomerStore } from '../../domain/customers/customer';
import type { KnownSender } from '../../domain/inbound/inbound-message';
import type { SenderDirectory } from '../../domain/inbound/inbound-ports';

/**
 * Senders known as a customer's contacts, from every customer's record (one
 * query of the customers' list, kept for a minute: a contact added now is
 * known within it). Users known by their person records join when the
 * records can be found by email.
 */
export class ContactDirectory implements SenderDirectory {
  private cached: { at: number; senders: Promise<readonly KnownSender[]> } | undefined;

  constructor(
    private readonly customers: Pick<CustomerStore, 'allCustomers'>,
    private readonly now: () => number,
    private readonly maxAgeMs = 60_000,
  ) {}

  async whoIs(email: string): Promise<readonly KnownSender[]> {
    const address = email.toLowerCase();
    return (await this.all()).filter((s) => s.email === address);
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
