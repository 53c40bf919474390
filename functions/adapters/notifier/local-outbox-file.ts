import { appendFile, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { AlertMessage, AlertSender } from '../../domain/notifications/alerts';

/** The local stand-in for SES and SNS: one JSON line per alert, plus a readable log line. */
export class LocalOutboxFile implements AlertSender {
  /** Appends run one after another, so lines from this process never interleave. */
  private tail: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly path: string,
    private readonly log: (line: string) => void = (line) => console.log(line),
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Rewrites the log for a person's erasure: each line through `scrub` (their
   * address out of its recipients, their name and address out of its text), a
   * line for them alone dropped. Whole-file, after the appends before it.
   */
  async scrub(scrub: (message: Pick<AlertMessage, 'subject' | 'body' | 'recipients'>) => 'drop' | Pick<AlertMessage, 'subject' | 'body' | 'recipients'> | undefined): Promise<void> {
    const rewrite = this.tail.then(async () => {
      const text = await readFile(this.path, 'utf8').catch(() => '');
      const lines = text
        .split('\n')
        .filter(Boolean)
        .flatMap((line) => {
          const record = JSON.parse(line) as { subject: string; body: string; recipients?: string[] };
          const result = scrub(record);
          return result === 'drop' ? [] : [JSON.stringify(result ? { ...record, ...result } : record)];
        });
      await writeFile(`${this.path}.scrub`, lines.length ? `${lines.join('\n')}\n` : '');
      await rename(`${this.path}.scrub`, this.path);
    });
    this.tail = rewrite.catch(() => undefined);
    await rewrite;
  }

  async send(message: AlertMessage): Promise<void> {
    // Same rule as SES, so a missing recipient list shows up locally too.
    if (message.channel === 'email' && (message.recipients ?? []).length === 0) {
      throw new Error(`email alert ${message.id} has no recipients`);
    }
    const record = {
      channel: message.channel,
      kind: message.kind,
      id: message.id,
      // The line format stays as documented: ticketId (with customer and priority), or windowId.
      ...(message.about.type === 'ticket'
        ? { ticketId: message.about.id, customerId: message.customerId, priority: message.priority }
        : message.about.type === 'customer'
          ? { customerId: message.about.id }
          : message.about.type === 'target'
            ? { target: message.about.id }
            : message.about.type === 'report'
              ? { report: message.about.id, ...(message.customerId ? { customerId: message.customerId } : {}) }
              : message.about.type === 'inbound'
                ? { inbound: message.about.id }
                : { windowId: message.about.id }),
      hypercare: message.hypercare,
      ...(message.channel === 'email' ? { recipients: [...(message.recipients ?? [])] } : {}),
      // Where a reply goes (a ticket's signed address, with an inbound domain) and the id replies name.
      ...(message.replyTo ? { replyTo: message.replyTo } : {}),
      ...(message.messageId ? { messageId: message.messageId } : {}),
      subject: message.subject,
      body: message.body,
      sentAt: new Date(this.now()).toISOString(),
    };
    const line = `${JSON.stringify(record)}\n`;
    const write = this.tail.then(async () => {
      await mkdir(dirname(this.path), { recursive: true });
      // One append of the whole line: O_APPEND keeps it contiguous even across processes.
      await appendFile(this.path, line, 'utf8');
    });
    this.tail = write.catch(() => undefined);
    await write;

    // The console shows where it went, not who: addresses down to their domain (the file has them whole).
    const to = message.channel === 'email' ? (message.recipients ?? []).map((address) => address.replace(/^.*@/, '…@')).join(', ') : 'topic';
    this.log(`[${message.channel}] ${message.kind} ${message.about.id} → ${to}: ${message.subject}`);
  }
}
