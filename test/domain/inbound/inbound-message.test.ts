import { describe, expect, it } from 'vitest';
import { decideInbound, failedVerdict, type InboundFacts, type KnownSender, type ParsedMessage, refusalOccasion, type Verdicts } from '#domain/inbound/inbound-message';
import type { Addressed } from '#domain/inbound/reply-address';

const LOG = new TextEncoder().encode('abc');

const PASS: Verdicts = { spf: 'PASS', dkim: 'PASS', dmarc: 'PASS', spam: 'PASS', virus: 'PASS' };
// 00:30 on 3 December in Copenhagen, still the 2nd in UTC: the occasion takes the desk's day.
const receivedAt = Date.parse('2026-12-03T00:30:00+01:00');
const alice: KnownSender = { customerId: 'ACME', email: 'alice@acme.example', name: 'Alice Andersen', subject: 'local-alice' };
const contact: KnownSender = { customerId: 'ACME', email: 'it@acme.example' };
const message = (over: Partial<ParsedMessage> = {}): ParsedMessage => ({
  references: [],
  from: { address: 'alice@acme.example', name: 'Alice Andersen' },
  recipients: ['support@inbound.example'],
  subject: 'Sync stopped overnight',
  text: 'It stopped at 02:00.\n\n-- \nAlice',
  reply: 'It stopped at 02:00.',
  body: 'It stopped at 02:00.',
  attachments: [],
  automatic: false,
  ...over,
});
const toTicket: Addressed = { to: 'ticket', ticketId: 'ACME-12' };
const toSupport: Addressed = { to: 'support' };
const facts = (over: Partial<InboundFacts> = {}): InboundFacts => ({
  message: message(),
  verdicts: PASS,
  addressed: [toSupport],
  senders: [alice],
  receivedAt,
  timeZone: 'Europe/Copenhagen',
  ...over,
});
const openTicket = { id: 'ACME-12', customerId: 'ACME', status: 'in_progress' as const };
const reply = { to: 'alice@acme.example', occasionId: 'inbound-refused#alice@acme.example#2026-12-03' };

describe('what a received message becomes', () => {
  it.each<[string, Partial<InboundFacts>, unknown]>([
    [
      'a reply from the ticket customer’s user: a public comment by them, quotes and signature removed',
      { addressed: [toTicket], ticket: openTicket, message: message({ reply: 'Works again, thanks.', attachments: [{ filename: 'a.log', contentType: 'text/plain', size: 3, content: LOG }] }) },
      { action: 'comment', ticketId: 'ACME-12', by: alice, body: 'Works again, thanks.', attachments: [{ filename: 'a.log', contentType: 'text/plain', size: 3, content: LOG }] },
    ],
    [
      'a reply from a contact who never signed in: a comment by the contact',
      { addressed: [toTicket], ticket: openTicket, senders: [contact], message: message({ from: { address: 'it@acme.example' } }) },
      { action: 'comment', ticketId: 'ACME-12', by: contact, body: 'It stopped at 02:00.', attachments: [] },
    ],
    [
      'a reply that also copies the support address is still the reply',
      { addressed: [toSupport, toTicket], ticket: openTicket },
      { action: 'comment', ticketId: 'ACME-12', by: alice, body: 'It stopped at 02:00.', attachments: [] },
    ],
    [
      'a new message from a known person: a Medium ticket in category other for their customer',
      {},
      { action: 'open', customerId: 'ACME', by: alice, ticket: { title: 'Sync stopped overnight', description: 'It stopped at 02:00.', category: 'other', priority: 'medium' }, attachments: [] },
    ],
    [
      'a new message without a subject or body text keeps what it has',
      { message: message({ subject: '', body: 'Help' }) },
      { action: 'open', customerId: 'ACME', by: alice, ticket: { title: '(no subject)', description: 'Help', category: 'other', priority: 'medium' }, attachments: [] },
    ],
    [
      'a reply to a closed ticket: a new ticket that refers to it',
      { addressed: [toTicket], ticket: { ...openTicket, status: 'closed' }, message: message({ subject: 'Re: [ACME-12] Sync', reply: 'It is back.' }) },
      {
        action: 'open',
        customerId: 'ACME',
        by: alice,
        ticket: { title: 'Re: [ACME-12] Sync', description: 'Follows up ACME-12, which is closed.\n\nIt is back.', category: 'other', priority: 'medium' },
        attachments: [],
        refersTo: 'ACME-12',
      },
    ],
  ])('%s', (_, given, decision) => {
    expect(decideInbound(facts(given))).toEqual(decision);
  });

  it.each<[string, Partial<InboundFacts>, unknown]>([
    ['an unknown sender, told once a day', { senders: [] }, { action: 'refuse', reason: 'unknown-sender', detail: 'alice@acme.example', reply }],
    [
      'a sender known only at another customer than the ticket’s',
      { addressed: [toTicket], ticket: openTicket, senders: [{ ...alice, customerId: 'GLOBEX' }] },
      { action: 'refuse', reason: 'unknown-sender', detail: 'alice@acme.example is not known at ACME', reply },
    ],
    ['a new message from someone known at two customers', { senders: [alice, { ...alice, customerId: 'GLOBEX' }] }, { action: 'refuse', reason: 'ambiguous-sender', detail: 'ACME, GLOBEX', reply }],
    [
      'a bad signature, even with the support address beside it',
      { addressed: [toSupport, { to: 'forged', ticketId: 'ACME-12' }] },
      { action: 'refuse', reason: 'bad-signature', detail: 'ACME-12', reply },
    ],
    ['a reply to a ticket that does not exist', { addressed: [toTicket] }, { action: 'refuse', reason: 'no-such-ticket', detail: 'ACME-12', reply }],
    [
      'a reply with nothing left once quotes and signature are removed',
      { addressed: [toTicket], ticket: openTicket, message: message({ reply: '  \n' }) },
      { action: 'refuse', reason: 'empty-reply', detail: 'ACME-12', reply },
    ],
    ['a failed DMARC: no reply, its From may be forged', { verdicts: { ...PASS, dmarc: 'FAIL' } }, { action: 'refuse', reason: 'failed-verdict', detail: 'dmarc FAIL' }],
    ['a failed SPF', { verdicts: { ...PASS, spf: 'FAIL' } }, { action: 'refuse', reason: 'failed-verdict', detail: 'spf FAIL' }],
    ['a failed DKIM', { verdicts: { ...PASS, dkim: 'FAIL' } }, { action: 'refuse', reason: 'failed-verdict', detail: 'dkim FAIL' }],
    ['spam', { verdicts: { ...PASS, spam: 'FAIL' } }, { action: 'refuse', reason: 'failed-verdict', detail: 'spam FAIL' }],
    ['a virus', { verdicts: { ...PASS, virus: 'FAIL' } }, { action: 'refuse', reason: 'failed-verdict', detail: 'virus FAIL' }],
    ['a message not scanned for viruses', { verdicts: { ...PASS, virus: 'PROCESSING_FAILED' } }, { action: 'refuse', reason: 'failed-verdict', detail: 'virus PROCESSING_FAILED' }],
    ['an out-of-office answer: no reply, no loop', { message: message({ automatic: true }) }, { action: 'refuse', reason: 'automatic' }],
    ['mail to another address of the domain', { addressed: [{ to: 'elsewhere' }] }, { action: 'refuse', reason: 'not-addressed' }],
  ])('refuses %s', (_, given, decision) => {
    expect(decideInbound(facts(given))).toEqual(decision);
  });

  it.each<[Partial<Verdicts>, string | undefined]>([
    [{}, undefined],
    [{ dmarc: 'GRAY' }, undefined],
    [{ dmarc: 'GRAY', dkim: 'GRAY' }, undefined],
    [{ dmarc: 'GRAY', spf: 'GRAY' }, undefined],
    [{ dmarc: 'GRAY', spf: 'GRAY', dkim: 'GRAY' }, 'no SPF, DKIM or DMARC pass (spf GRAY, dkim GRAY, dmarc GRAY)'],
    [{ spam: 'DISABLED' }, 'spam DISABLED'],
  ])('verdicts %o fail with %s', (verdicts, failed) => {
    expect(failedVerdict({ ...PASS, ...verdicts })).toBe(failed);
  });

  it('a refused sender has one reply occasion per Copenhagen day, in any case of their address', () => {
    const zone = 'Europe/Copenhagen';
    expect(refusalOccasion('Alice@ACME.example', Date.parse('2026-12-02T23:59:00+01:00'), zone)).toBe('inbound-refused#alice@acme.example#2026-12-02');
    // 00:30 in Copenhagen is still the 2nd in UTC: the desk's day counts.
    expect(refusalOccasion('alice@acme.example', Date.parse('2026-12-03T00:30:00+01:00'), zone)).toBe('inbound-refused#alice@acme.example#2026-12-03');
    expect(refusalOccasion('alice@acme.example', Date.parse('2026-12-03T23:30:00+01:00'), zone)).toBe('inbound-refused#alice@acme.example#2026-12-03');
  });
});
