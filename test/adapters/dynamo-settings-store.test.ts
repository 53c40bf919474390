import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { ensureTable } from '../../bin/local/dynamodb-local';
import { createDocumentClient } from '#adapters/dynamodb/client';
import { DynamoSettingsStore } from '#adapters/dynamodb/dynamo-settings-store';
import { keys, toProbeTargetsItem } from '#adapters/dynamodb/table';
import { probeTargets } from '../../lib/availability-probe';

/* The probe targets item: written at deploy from context (lib/availability-probe.ts), read by the functions that measure. */

const db = createDocumentClient({ endpoint: inject('dynamoEndpoint') });
const table = `settings${Date.now().toString(36)}`;
const settings = new DynamoSettingsStore(db, table);

beforeAll(() => ensureTable(inject('dynamoEndpoint'), table));

describe('the probe targets item', () => {
  it('is no targets before the first deploy wrote it', async () => {
    expect(await settings.probeTargets()).toEqual([]);
  });

  it("reads back what context gave, with the functions' defaults filled in", async () => {
    const given = probeTargets(
      JSON.stringify([
        { name: 'portal', url: 'https://portal.example.com/health' },
        { name: 'scim', url: 'https://scim.example.com/', expectedStatus: 204, timeoutMs: 3000 },
      ]),
    );
    await db.send(new PutCommand({ TableName: table, Item: toProbeTargetsItem(given) }));
    expect(await settings.probeTargets()).toEqual([
      { name: 'portal', url: 'https://portal.example.com/health', expectedStatus: 200, timeoutMs: 5000 },
      { name: 'scim', url: 'https://scim.example.com/', expectedStatus: 204, timeoutMs: 3000 },
    ]);
  });

  it('refuses an item the functions could not probe with, naming what is wrong', async () => {
    await db.send(new PutCommand({ TableName: table, Item: { ...keys.settings('probe-targets'), targets: JSON.stringify([{ name: 'portal', url: 'ftp://portal.example.com' }]) } }));
    await expect(settings.probeTargets()).rejects.toThrow(/probe targets item is malformed: 0\.url: an http or https URL/);
  });
});
