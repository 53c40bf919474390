import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import type { ProbeTarget } from '../../domain/availability/probe';
import { TARGET_NAME } from '../../domain/identifiers';
import { keys, probeTargetsOfItem } from './table';

/** One probe target, as the deploy writes it: the CDK app checks context against this same schema at synth. */
export const ProbeTargetSetting = z.strictObject({
  name: z.string().check(z.regex(TARGET_NAME, 'lower-case letters, digits and dashes, at most 32')),
  url: z.httpUrl('an http or https URL'),
  expectedStatus: z._default(z.int().check(z.minimum(100), z.maximum(599)), 200),
  timeoutMs: z._default(z.int().check(z.minimum(100), z.maximum(30_000)), 5_000),
});

/** The settings the deploy writes into the table (lib/availability-probe.ts). */
export class DynamoSettingsStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** The measured targets besides the API's own; none before the first deploy wrote them. */
  async probeTargets(): Promise<ProbeTarget[]> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.settings('probe-targets'), ConsistentRead: true }));
    const parsed = z.array(ProbeTargetSetting).safeParse(probeTargetsOfItem(Item));
    if (!parsed.success) throw new Error(`sla-desk settings: the probe targets item is malformed: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    return parsed.data;
  }
}
