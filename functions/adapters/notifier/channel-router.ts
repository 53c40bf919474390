import type { AlertChannel, AlertMessage, AlertSender } from '../../domain/notifications/alerts';

/** Sends each alert through the sender registered for its channel. */
export class ChannelRouter implements AlertSender {
  constructor(private readonly senders: Readonly<Record<AlertChannel, AlertSender>>) {}

  async send(message: AlertMessage): Promise<void> {
    // Guards against a channel value that slipped past the types (e.g. from stored data).
    const sender = Object.hasOwn(this.senders, message.channel) ? this.senders[message.channel] : undefined;
    if (sender === undefined) throw new Error(`no sender for channel '${String(message.channel)}' (alert ${message.id})`);
    await sender.send(message);
  }
}
