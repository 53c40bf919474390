import '../tracing';
import type { S3Client } from '@aws-sdk/client-s3';
import type { SESEvent, SESReceipt } from 'aws-lambda';
import { type Delivery, type InboundIngestDeps, ingestInbound } from '../../domain/inbound/inbound-ingest';
import type { Verdicts, VerdictStatus } from '../../domain/inbound/inbound-message';
import { messageKey } from '../../adapters/inbound/hmac';
import { rawMessageKey, readRawMessage } from '../../adapters/inbound/s3-raw-messages';
import { lambdaHandler, logger } from '../observability';

/** What the ingest needs besides the rules: the bucket SES wrote to, and the ports. */
export interface IngestWorld extends InboundIngestDeps {
  readonly s3: S3Client;
  readonly bucket: string;
  /** The receipt rule's object key prefix. */
  readonly prefix: string;
}

const STATUSES: readonly VerdictStatus[] = ['PASS', 'FAIL', 'GRAY', 'PROCESSING_FAILED', 'DISABLED'];
/** A verdict SES did not give, or gave in words it never used before, counts as not passing. */
const status = (verdict: { status: string } | undefined): VerdictStatus => ((STATUSES as readonly string[]).includes(verdict?.status ?? '') ? (verdict!.status as VerdictStatus) : 'PROCESSING_FAILED');

function verdictsOf(receipt: SESReceipt): Verdicts {
  return { spf: status(receipt.spfVerdict), dkim: status(receipt.dkimVerdict), dmarc: status(receipt.dmarcVerdict), spam: status(receipt.spamVerdict), virus: status(receipt.virusVerdict) };
}

/** The address in a From header as SES's common headers give it: `Alice <alice@acme.example>` or the bare address. */
function addressOf(from: string | undefined): string | undefined {
  const address = from?.match(/<([^>]+)>\s*$/)?.[1] ?? from;
  return address?.includes('@') ? address.trim().toLowerCase() : undefined;
}

/**
 * One SES receipt notification: each message it carries, read from the bucket
 * SES's S3 action stored it in (the rule's prefix and SES's message id), and
 * ingested once by its Message-ID.
 */
export async function ingestEmails(world: IngestWorld, event: SESEvent) {
  const results = [];
  for (const { ses } of event.Records) {
    const { mail, receipt } = ses;
    const from = addressOf(mail.commonHeaders.from?.[0]);
    const delivery: Delivery = {
      key: messageKey(mail.commonHeaders.messageId, mail.messageId),
      receivedAt: Date.parse(mail.timestamp),
      recipients: receipt.recipients,
      verdicts: verdictsOf(receipt),
      ...(from ? { from } : {}),
      rawKey: rawMessageKey(world.prefix, mail.messageId),
      read: () => readRawMessage(world.s3, world.bucket, rawMessageKey(world.prefix, mail.messageId)),
    };
    const ingested = await ingestInbound(world, delivery);
    // Never the sender's words, the subject or an address: the outcome and what SES said.
    logger.info('inbound email', {
      sesMessageId: mail.messageId,
      repeated: ingested.repeated,
      ...ingested.outcome,
      ...(ingested.decision?.action === 'refuse' ? { replied: ingested.decision.reply !== undefined } : {}),
    });
    results.push(ingested.outcome);
  }
  return results;
}

let world: Promise<IngestWorld> | undefined;

/**
 * SES's Lambda action invokes this asynchronously after its S3 action stored
 * the message; a failed run is retried by Lambda, then kept on the
 * failed-invocations queue.
 */
export const handler = lambdaHandler(async (event: SESEvent) => {
  world ??= import('./ingest-world')
    .then((m) => m.ingestWorldFromEnvironment())
    .catch((error: unknown) => {
      world = undefined;
      throw error;
    });
  return ingestEmails(await world, event);
});
