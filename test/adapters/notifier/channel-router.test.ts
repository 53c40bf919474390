import { describe, expect, it } from 'vitest';
import { ChannelRouter } from '#adapters/notifier/channel-router';
import type { AlertChannel, AlertMessage, AlertSender } from '#domain/notifications/alerts';
import { breachEmail, breachSns } from './fixtures';

class Recorder implements AlertSender {
  readonly sent: string[] = [];
  constructor(private readonly fail = false) {}
  async send(message: AlertMessage): Promise<void> {
    if (this.fail) throw new Error('channel down');
    this.sent.push(message.id);
  }
}

describe('channel router', () => {
  it('dispatches each message to the sender for its channel', async () => {
    const email = new Recorder();
    const sns = new Recorder();
    const router = new ChannelRouter({ email, sns });
    await router.send(breachEmail);
    await router.send(breachSns);
    expect(email.sent).toEqual(['ACME-42:breach:email']);
    expect(sns.sent).toEqual(['ACME-42:breach:sns']);
  });

  it('propagates the sender failure', async () => {
    const router = new ChannelRouter({ email: new Recorder(true), sns: new Recorder() });
    await expect(router.send(breachEmail)).rejects.toThrow('channel down');
  });

  it('refuses a channel it has no sender for', async () => {
    const router = new ChannelRouter({ email: new Recorder(), sns: new Recorder() });
    const odd = { ...breachSns, channel: 'sms' as AlertChannel };
    await expect(router.send(odd)).rejects.toThrow(/no sender for channel 'sms'/);
    await expect(router.send({ ...breachSns, channel: 'toString' as AlertChannel })).rejects.toThrow(/no sender/);
  });
});
