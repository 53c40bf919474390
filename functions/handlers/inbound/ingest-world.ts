import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { CONTRACT_ZONE } from '../../domain/contract';
import type { InboundTickets } from '../../domain/inbound/inbound-ports';
import { ContactDirectory } from '../../adapters/inbound/contact-directory';
import { DynamoInboundClaims } from '../../adapters/inbound/dynamo-inbound-claims';
import { hmacSha256 } from '../../adapters/inbound/hmac';
import { readSecret } from '../../adapters/inbound/secret';
import { createDocumentClient } from '../../adapters/dynamodb/client';
import { DynamoCustomerStore } from '../../adapters/dynamodb/dynamo-customer-store';
import { loadConfig, required } from '../config';
import { traced } from '../observability';
import type { IngestWorld } from './ingest-email';

/** Longer than the function's timeout (see lib/inbound-email.ts), so a live run is never overtaken. */
const LEASE_MS = 10 * 60_000;

/**
 * Until TicketService takes the decisions, a message that would add a comment
 * or open a ticket fails its run (Lambda retries it, then keeps it on the
 * failed-invocations queue, from where it can be replayed once wired).
 */
const NOT_WIRED: InboundTickets = {
  ticket: () => Promise.reject(new Error('email into tickets is not wired to the tickets yet')),
  comment: () => Promise.reject(new Error('email into tickets is not wired to the tickets yet')),
  open: () => Promise.reject(new Error('email into tickets is not wired to the tickets yet')),
  refuse: async () => {},
};

/** The ingest's world on Lambda: the bucket, the table's claims and customers, the secret. */
export async function ingestWorldFromEnvironment(): Promise<IngestWorld> {
  const config = loadConfig();
  const db = traced(createDocumentClient({ endpoint: config.DYNAMODB_ENDPOINT }));
  const secret = await readSecret(traced(new SecretsManagerClient({})), required(config.INBOUND_SECRET_ARN, 'INBOUND_SECRET_ARN'));
  return {
    s3: traced(new S3Client({})),
    bucket: required(config.INBOUND_BUCKET, 'INBOUND_BUCKET'),
    prefix: config.INBOUND_PREFIX,
    claims: new DynamoInboundClaims(db, config.TABLE_NAME),
    tickets: NOT_WIRED,
    directory: new ContactDirectory(new DynamoCustomerStore(db, config.TABLE_NAME), Date.now),
    mac: hmacSha256(secret),
    addresses: { domain: required(config.INBOUND_DOMAIN, 'INBOUND_DOMAIN') },
    now: Date.now,
    timeZone: CONTRACT_ZONE,
    leaseMs: LEASE_MS,
  };
}
