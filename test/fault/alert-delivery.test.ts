import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDocumentClient } from '#adapters/dynamodb/client';
import { DynamoAlertOutbox } from '#adapters/dynamodb/dynamo-alert-outbox';
import { flakyChannels } from '../support/flaky-channels';
import { aTicket, castOf, type Cast, startTestStack, type TestStack } from '../support/test-stack';

/** Monday: highest-priority tickets opened at 09:00 are warned at 09:45 and breach at 10:00. */
const OPENING = Date.parse('2026-06-08T09:00:00+02:00');
const at = (minutes: number) => new Date(OPENING + minutes * 60_000).toISOString();
const TICKETS = 40;

const channels = flakyChannels(20260608);
let stack: TestStack;
let cast: Cast;
let outbox: DynamoAlertOutbox;
let db: ReturnType<typeof createDocumentClient>;

beforeAll(async () => {
  stack = await startTestStack({ clockStart: at(0), alertSender: channels.sender });
  cast = await castOf(stack);
  db = createDocumentClient({ endpoint: stack.dynamoEndpoint });
  outbox = new DynamoAlertOutbox(db, stack.tableName);
  // The customer's own contact hears of breaches too, by a letter of its own.
  const profile = await stack.call('PUT', '/customers/ACME', { token: cast.admin, body: { name: 'Acme', contacts: [{ email: 'ops@acme.example', receives: ['alerts'] }] } });
  expect(profile.status).toBe(200);
});

afterAll(async () => {
  db?.destroy();
  await stack?.stop();
  channels.restore();
});

async function moveClock(minutes: number): Promise<void> {
  // The stack's own clock route: timers that came due fire, and the relay delivers, before it answers.
  const reply = await stack.call('POST', '/_dev/clock', { token: cast.admin, body: { now: at(minutes) } });
  expect(reply.status).toBe(200);
}

/** The SLA alerts SES accepted: a ticket's own emails (received, urgent, …) are not what this test counts. */
const slaEmails = () => channels.accepted.email.filter((e) => !e.EmailTags?.find((t) => t.Name === 'kind')?.Value?.startsWith('ticket-'));

/** Accepted sends per ticket, kind and channel: `ACME-1 breach/email` → 1. */
function tally(): Map<string, number> {
  const counts = new Map<string, number>();
  const add = (key: string) => counts.set(key, (counts.get(key) ?? 0) + 1);
  for (const email of slaEmails()) {
    const tag = (name: string) => email.EmailTags?.find((t) => t.Name === name)?.Value;
    if (tag('ticket')) add(`${tag('ticket')} ${tag('kind')}/email`);
  }
  for (const message of channels.accepted.sns) {
    const ticket = /^\[SLA (?:breach|warning)\] (\S+) /.exec(message.Subject ?? '')?.[1];
    if (ticket) add(`${ticket} ${message.MessageAttributes?.kind?.StringValue}/sns`);
  }
  return counts;
}

describe('alerts under failing SES and SNS', () => {
  it('while half the calls fail, many tickets warn and breach; once the channels recover, each alert is delivered exactly once on each channel', async () => {
    const ids: string[] = [];
    for (let n = 0; n < TICKETS; n++) {
      const reply = await stack.call('POST', '/tickets', { token: n % 2 ? cast.acme : cast.globex, body: aTicket({ priority: 'highest', title: `Outage ${n}` }) });
      expect(reply.status).toBe(201);
      ids.push(reply.body.id);
    }

    // Outage: every second call is refused, while the warnings and then the breaches come due.
    channels.state.failureRate = 0.5;
    for (const minutes of [46, 50, 55, 61, 65, 70, 80]) await moveClock(minutes);
    const refusedDuringOutage = channels.state.refused;
    expect(refusedDuringOutage).toBeGreaterThan(20);
    // The breaches are recorded whatever the channels do.
    for (const id of ids) expect((await stack.call('GET', `/tickets/${id}`, { token: cast.agent })).body.sla).toMatchObject({ state: 'breached' });
    expect(await outbox.oldestPendingSince()).toBeDefined();

    // Recovery: the relay works the backlog off as each alert's backoff (1, 2, 4, … minutes, at most an hour) runs out.
    channels.state.failureRate = 0;
    let minutes = 80;
    while ((await outbox.oldestPendingSince()) !== undefined && minutes < 80 + 8 * 60) await moveClock((minutes += 15));
    expect(await outbox.oldestPendingSince()).toBeUndefined();
    expect(channels.state.refused).toBe(refusedDuringOutage);

    const counts = tally();
    const letters = (id: string) => ['warning/email', 'warning/sns', 'breach/email', 'breach/sns', ...(id.startsWith('ACME-') ? ['breach-notice/email'] : [])];
    const expected = ids.flatMap((id) => letters(id).map((kind) => `${id} ${kind}`)).sort();
    expect([...counts.keys()].sort()).toEqual(expected); // none lost
    expect([...counts].filter(([, n]) => n !== 1)).toEqual([]); // none sent twice
    expect(slaEmails().length + channels.accepted.sns.length).toBe(expected.length);

    // What SES was asked to send for a breach: the desk's letter to on-call, tagged for the bounce handler (the customer's contact has its own).
    const breachEmail = channels.accepted.email.find((e) => e.EmailTags?.some((t) => t.Name === 'ticket' && t.Value === ids[1]) && e.EmailTags?.some((t) => t.Value === 'breach'));
    expect(breachEmail).toMatchObject({
      FromEmailAddress: 'sla-desk@provider.example',
      Destination: { ToAddresses: ['oncall@sla-desk.local'] },
      Content: { Simple: { Subject: { Data: expect.stringMatching(new RegExp(`^\\[SLA breach\\] ${ids[1]} Highest`)) } } },
      EmailTags: [
        { Name: 'kind', Value: 'breach' },
        { Name: 'ticket', Value: ids[1] },
      ],
    });
  }, 180_000);
});
