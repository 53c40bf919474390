import type { AlertMessage, AlertSender } from '../../domain/notifications/alerts';
import { addressed, type MailAddressing } from '../../domain/notifications/mail-addressing';

/** Gives each email its Message-ID, and a ticket's its thread and Reply-To, as it goes to the channel. */
export class AddressedSender implements AlertSender {
  constructor(
    private readonly inner: AlertSender,
    private readonly addressing: MailAddressing,
  ) {}

  send(message: AlertMessage): Promise<void> {
    return this.inner.send(addressed(message, this.addressing));
  }
}
