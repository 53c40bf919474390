import { messageKey } from '../../adapters/inbound/hmac';
import { parseMime } from '../../adapters/inbound/mime-parser';
import { type InboundIngestDeps, type Ingested, ingestInbound } from '../../domain/inbound/inbound-ingest';
import type { Verdicts } from '../../domain/inbound/inbound-message';

/** What a receiving server says of one raw message: its own id for it, the verdicts, and the envelope's recipients if it knows them. */
export interface RawReceipt {
  readonly id: string;
  readonly receivedAt: number;
  readonly verdicts: Verdicts;
  /** The envelope's recipients; without them, the message's own To and Cc. */
  readonly recipients?: readonly string[];
}

/**
 * One raw message handed in whole (the local stack's `POST /_dev/inbound-email`),
 * through the same ingest as SES's: read first, then keyed by its Message-ID.
 */
export async function ingestRaw(deps: InboundIngestDeps, raw: Uint8Array, receipt: RawReceipt): Promise<Ingested> {
  const parsed = await parseMime(raw);
  const message = 'refused' in parsed ? undefined : parsed;
  return ingestInbound(deps, {
    key: messageKey(message?.messageId, receipt.id),
    receivedAt: receipt.receivedAt,
    recipients: receipt.recipients ?? message?.recipients ?? [],
    verdicts: receipt.verdicts,
    ...(message?.from ? { from: message.from.address } : {}),
    read: async () => parsed,
  });
}
