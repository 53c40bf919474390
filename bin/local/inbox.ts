import { mkdir, readdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Verdicts } from '#domain/inbound/inbound-message';

/** A message dropped in the inbox passes every check, as a local delivery does unless told. */
const PASS: Verdicts = { spf: 'PASS', dkim: 'PASS', dmarc: 'PASS', spam: 'PASS', virus: 'PASS' };

/**
 * `DATA_DIR/inbox/`, the local stack's mailbox: every `.eml` file put there is
 * ingested as a received email (the same ingest as `POST /_dev/inbound-email`)
 * and then deleted (a raw message holds a person's words and address: the
 * ticket keeps what it became), or moved to `inbox/failed/` when the ingest failed.
 * Checked every `intervalMs`; a file still being written is taken by a later
 * round, and the same message twice is still one comment (its Message-ID).
 */
export class InboxWatcher {
  private interval: NodeJS.Timeout | undefined;
  private round: Promise<void> = Promise.resolve();

  constructor(
    private readonly dir: string,
    private readonly ingest: (raw: Buffer, verdicts: Verdicts) => Promise<{ readonly action: string }>,
    private readonly log: (line: string) => void,
  ) {}

  async start(intervalMs = 2_000): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    this.interval = setInterval(() => void this.check(), intervalMs);
    this.interval.unref();
  }

  /** Ingests what is in the inbox now, oldest name first. */
  check(): Promise<void> {
    this.round = this.round.then(() => this.ingestAll());
    return this.round;
  }

  async stop(): Promise<void> {
    clearInterval(this.interval);
    await this.round;
  }

  private async ingestAll(): Promise<void> {
    const names = (await readdir(this.dir, { withFileTypes: true }).catch(() => [])).filter((e) => e.isFile() && e.name.toLowerCase().endsWith('.eml')).map((e) => e.name);
    for (const name of names.sort()) {
      const path = join(this.dir, name);
      try {
        const { action } = await this.ingest(await readFile(path), PASS);
        await rm(path, { force: true });
        this.log(`inbox: ${name}: ${action}`);
      } catch (error) {
        await this.move(path, 'failed', name);
        this.log(`inbox: ${name} failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }

  private async move(path: string, to: 'failed', name: string): Promise<void> {
    await mkdir(join(this.dir, to), { recursive: true });
    await rename(path, join(this.dir, to, name)).catch(() => undefined);
  }
}
