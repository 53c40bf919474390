import { describe, expect, it } from 'vitest';
import { danishCalendar } from '#domain/calendar/danish-calendar';
import { parseInstant } from '#domain/instant';
import { alertMessages, businessHours } from '#domain/sla/alert-messages';
import type { Actor } from '#domain/actor';
import { openTicket } from '#domain/tickets/ticket';

const calendar = danishCalendar();
const customer: Actor = { subject: 'u', role: 'customer', customerId: 'ACME' };
const ticket = openTicket(
  'ACME-42',
  'ACME',
  { title: 'Sync <stopped>', description: 'd', category: 'synchronization', priority: 'highest' },
  customer,
  parseInstant('2026-06-04T15:30:00+02:00'),
  calendar,
);
const audience = { onCall: ['oncall@provider.example'], customerContacts: ['it@acme.example', 'oncall@provider.example'], hypercare: true };

describe('alert messages', () => {
  it("a breach: the desk's letter to on-call and by SNS, saying what to do now; the customer's contacts' own letter, under its own id", () => {
    const [email, sns, customerEmail, ...more] = alertMessages(ticket, 'breach', parseInstant('2026-06-08T08:30:00+02:00'), calendar, audience);
    expect(more).toEqual([]);
    expect(email).toMatchObject({
      id: 'ACME-42:breach:email',
      channel: 'email',
      kind: 'breach',
      priority: 'highest',
      hypercare: true,
      subject: '[SLA breach] ACME-42 Highest: first response overdue since 08:30 (Copenhagen)',
      recipients: ['oncall@provider.example'],
    });
    expect(email!.body.split('\n')[0]).toBe("Answer ACME-42 now: its first response was due Mon 8 Jun 2026, 08:30. The customer's alert contacts have been told that the desk is on it.");
    expect(email!.body).toContain('Opened: Thu 4 Jun 2026, 15:30');
    expect(email!.body).toContain('first response within 1 business hour\n');
    expect(email!.body).toContain('First response due: Mon 8 Jun 2026, 08:30');
    expect(email!.body).toContain('Fri 5 Jun 2026: closed (Constitution Day, bank closing day)');
    expect(email!.html).toContain('Sync &#60;stopped&#62;');
    expect(sns).toMatchObject({ id: 'ACME-42:breach:sns', channel: 'sns', subject: email!.subject, body: email!.body });
    expect(sns!.recipients).toBeUndefined();

    // The customer's contacts (not the one who is on call too, who has the desk's letter): what happened, and nothing of the desk's work.
    expect(customerEmail).toMatchObject({
      id: 'ACME-42:breach-notice:email',
      channel: 'email',
      kind: 'breach-notice',
      customerId: 'ACME',
      subject: '[ACME-42] Our first response is late: the support desk is on it',
      recipients: ['it@acme.example'],
    });
    expect(customerEmail!.body.split('\n')[0]).toBe(
      'Follow ACME-42 in the console: our first response to it was due Mon 8 Jun 2026, 08:30 and is late, and the support desk has been told to answer it now.',
    );
    expect(customerEmail!.body).toContain('Priority: Highest, first response within 1 business hour');
    expect(customerEmail!.body).not.toMatch(/Answer ACME-42 now|In hypercare|How the deadline was reached|Customer: ACME/);
  });

  it("a breach for a customer with no alert contacts: the desk's letter alone, which says no one there was told", () => {
    const messages = alertMessages(ticket, 'breach', parseInstant('2026-06-08T08:30:00+02:00'), calendar, { ...audience, customerContacts: [] });
    expect(messages.map((m) => m.id)).toEqual(['ACME-42:breach:email', 'ACME-42:breach:sns']);
    expect(messages[0]!.body.split('\n')[0]).toMatch(/The customer has no alert contacts, so no one there has been told\.$/);
  });

  it.each([
    [1, '1 business hour'],
    [4, '4 business hours'],
    [16, '16 business hours'],
  ])('%i hours read as "%s"', (hours, text) => {
    expect(businessHours(hours)).toBe(text);
  });

  it('says the date when the breach is noticed on a later day', () => {
    const [email] = alertMessages(ticket, 'breach', parseInstant('2026-06-09T10:00:00+02:00'), calendar, audience);
    expect(email!.subject).toBe('[SLA breach] ACME-42 Highest: first response overdue since 8 Jun 08:30 (Copenhagen)');
  });

  it('a warning goes to the provider only, with the business minutes left', () => {
    const [email] = alertMessages(ticket, 'warning', parseInstant('2026-06-08T08:15:00+02:00'), calendar, audience);
    expect(email!.recipients).toEqual(['oncall@provider.example']);
    expect(email!.subject).toBe('[SLA warning] ACME-42 Highest: first response due at 08:30 (Copenhagen), 15 business minutes left');
  });
});
