import { DeleteCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDocumentClient } from '#adapters/dynamodb/client';
import { keys, TTL_ATTRIBUTE } from '#adapters/dynamodb/table';
import { aTicket, type Cast, castOf, startTestStack, type TestStack } from '../support/test-stack';

/*
 * Retention (docs/privacy.md): a closed ticket's items go when their time to
 * live passes. DynamoDB Local does not expire items, so the test removes them
 * as the time to live would: every item of the partition that carries an
 * expiry. A report already made keeps its figures; one made again after the
 * expiry counts without the ticket.
 */

let stack: TestStack;
let tokens: Cast;
let ticketId: string;

beforeAll(async () => {
  stack = await startTestStack({ clockStart: '2026-11-02T09:00:00+01:00' });
  tokens = await castOf(stack);
  expect((await stack.call('PUT', '/customers/ACME', { token: tokens.admin, body: { name: 'Acme A/S', contacts: [] } })).status).toBe(200);
  ticketId = (await stack.call('POST', '/tickets', { token: tokens.acme, body: aTicket({ priority: 'high' }) })).body.id;
  await stack.at.jump('2026-11-02T10:00:00+01:00');
  expect((await stack.call('POST', `/tickets/${ticketId}/comments`, { token: tokens.agent, body: { body: 'Fixed', visibility: 'public' } })).status).toBe(201);
  expect((await stack.call('PATCH', `/tickets/${ticketId}`, { token: tokens.agent, body: { status: 'closed' } })).status).toBe(200);
  await stack.at.jump('2026-12-01T09:00:00+01:00');
});
afterAll(() => stack.stop());

const figures = async (version?: number) => {
  const reply = await stack.call('GET', `/reports/2026-11/report.json${version ? `?version=${version}` : ''}`, { token: tokens.finance });
  expect(reply.status, reply.text).toBe(200);
  return { inputs: reply.body.inputs, sla: reply.body.sla, resolution: reply.body.resolution };
};

describe("an expired ticket and the month's reports", () => {
  it('leaves the figures of a report already made unchanged; a report made again afterwards counts without it', async () => {
    expect((await stack.call('POST', '/reports/2026-11', { token: tokens.finance, body: { reason: 'Month end' } })).status).toBe(202);
    const made = await figures(1);
    expect(made.inputs.tickets).toBe(1);

    // The time to live removes every item of the closed ticket's partition (each was given an expiry at the close).
    const db = createDocumentClient({ endpoint: stack.dynamoEndpoint });
    const { Items = [] } = await db.send(
      new QueryCommand({ TableName: stack.tableName, KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': keys.ticket(ticketId).PK }, ConsistentRead: true }),
    );
    expect(Items.length).toBeGreaterThan(2);
    expect(Items.filter((item) => item[TTL_ATTRIBUTE] === undefined).map((item) => item.SK)).toEqual([]);
    for (const item of Items) await db.send(new DeleteCommand({ TableName: stack.tableName, Key: { PK: item.PK, SK: item.SK } }));
    db.destroy();

    expect(await figures(1)).toEqual(made);
    expect((await stack.call('POST', '/reports/2026-11', { token: tokens.finance, body: { reason: 'Made again after the expiry' } })).status).toBe(202);
    expect((await figures(2)).inputs.tickets).toBe(0);
  });
});
