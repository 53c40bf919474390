import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ContactDirectory } from '../../adapters/inbound/contact-directory';
import { DynamoInboundClaims } from '../../adapters/inbound/dynamo-inbound-claims';
import { hmacSha256 } from '../../adapters/inbound/hmac';
import { readSecret } from '../../adapters/inbound/secret';
import { createDocumentClient } from '../../adapters/dynamodb/client';
import { loadConfig, required } from '../config';
import { dependencies } from '../dependencies';
import { traced } from '../observability';
import { inboundTicketsOf } from '../services';
import { ARMS_TIMERS } from '../timer/aws-scheduler';
import { ATTACHMENT_FILES } from '../attachments/attachment-files';
import { uploadedContent } from '../../adapters/attachments/content-type';
import type { IngestWorld } from './ingest-email';

/** Longer than the function's timeout (see lib/inbound-email.ts), so a live run is never overtaken. */
const LEASE_MS = 10 * 60_000;

/**
 * The ingest's world on Lambda: the bucket SES stored the message in, the
 * table's claims, the senders the desk knows, the secret, and the ticket use
 * cases, which arm a new ticket's timers and queue its emails for the relay.
 */
export async function ingestWorldFromEnvironment(): Promise<IngestWorld> {
  const config = loadConfig();
  const [environment, secret] = await Promise.all([
    dependencies({ ...ARMS_TIMERS, ...ATTACHMENT_FILES }),
    readSecret(traced(new SecretsManagerClient({})), required(config.INBOUND_SECRET_ARN, 'INBOUND_SECRET_ARN')),
  ]);
  const deps = { ...environment, sniff: uploadedContent };
  const db = traced(createDocumentClient({ endpoint: config.DYNAMODB_ENDPOINT }));
  return {
    s3: traced(new S3Client({})),
    bucket: required(config.INBOUND_BUCKET, 'INBOUND_BUCKET'),
    prefix: config.INBOUND_PREFIX,
    claims: new DynamoInboundClaims(db, config.TABLE_NAME),
    tickets: inboundTicketsOf(deps),
    directory: new ContactDirectory(deps.customers, deps.people, Date.now),
    mac: hmacSha256(secret),
    addresses: { domain: required(config.INBOUND_DOMAIN, 'INBOUND_DOMAIN') },
    now: Date.now,
    timeZone: deps.calendar.timeZone,
    leaseMs: LEASE_MS,
  };
}
