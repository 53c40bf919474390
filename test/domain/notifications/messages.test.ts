import { describe, expect, it } from 'vitest';
import type { Actor } from '#domain/actor';
import { cancellationNotices, scheduleWindow, windowNotices } from '#domain/availability/service-windows';
import { danishCalendar } from '#domain/calendar/danish-calendar';
import { approvalNotice } from '#domain/consultancy/approval-notice';
import { approve, propose, requestIncrease } from '#domain/consultancy/consultancy';
import { rateOf } from '#domain/consultancy/money';
import type { CustomerProfile } from '#domain/customers/customer';
import { digestMessage } from '#domain/hypercare/digest';
import { hypercareState, overdueAlerts } from '#domain/hypercare/hypercare';
import { incidentMessages } from '#domain/hypercare/monitoring';
import { parseInstant } from '#domain/instant';
import { parseMonth } from '#domain/month';
import type { AlertMessage } from '#domain/notifications/alerts';
import { assignmentNotice } from '#domain/notifications/assignment';
import { inboundRefusal } from '#domain/notifications/inbound-refusal';
import { ticketCustomerReply, ticketReceived, ticketReply, ticketStatus, ticketUrgent } from '#domain/notifications/ticket-mail';
import { reportReadyMessages } from '#domain/reports/report-service';
import { alertMessages } from '#domain/sla/alert-messages';
import { openTicket } from '#domain/tickets/ticket';

const calendar = danishCalendar();
const at = parseInstant;
const CONSOLE = 'https://console.sla-desk.example';
const customer: Actor = { subject: 'local-customer-acme', role: 'customer', customerId: 'ACME' };
const admin: Actor = { subject: 'local-admin', role: 'admin' };

// A ticket opened at 15:30:22.981, so an unrounded explanation would show seconds and fractions of a minute.
const ticket = openTicket(
  'ACME-42',
  'ACME',
  { title: 'Leads stopped syncing', description: 'Since 15:20', category: 'synchronization', priority: 'highest' },
  customer,
  at('2026-06-04T15:30:22.981+02:00'),
  calendar,
);
const acme: CustomerProfile = {
  customerId: 'ACME',
  name: 'Acme A/S',
  contacts: [{ email: 'it@acme.example', receives: ['alerts', 'notices', 'updates', 'approvals', 'reports'] }],
  consultancyRate: rateOf('1250', 'DKK'),
  hypercare: {
    goLiveAt: at('2026-11-16T08:00:00.000+01:00'),
    weeks: 2,
    extensions: [],
    providerSignoff: { at: at('2026-11-20T10:02:33.456+01:00'), by: 'local-agent' },
  },
  updatedAt: at('2026-11-01T09:00:00+01:00'),
  version: 3,
};
const window = scheduleWindow({ start: at('2026-12-10T18:00:00+01:00'), end: at('2026-12-10T20:00:00+01:00'), reason: 'Database upgrade' }, admin, at('2026-12-02T10:02:41.123+01:00'), 'SW-0000000A');
const proposed = propose({
  id: 'CR-0000000A',
  customerId: 'ACME',
  service: 'crm-flows',
  description: 'Route new leads to the right team',
  estimateHours: 1,
  proposed: { at: at('2026-12-01T09:00:00+01:00'), by: 'local-agent' },
});
const approved = approve(proposed, 'customer', { at: at('2026-12-01T10:00:00+01:00'), by: 'local-customer-acme' }, acme.consultancyRate);
const increased = requestIncrease(approved, 'provider', { at: at('2026-12-02T10:00:00+01:00'), by: 'local-agent' }, 2, 'Two more flows found');
const overdue = at('2026-12-01T08:00:00.000+01:00');
/** A breach: the desk's letters and the customer's contacts' own. */
const breach = (url?: string) =>
  alertMessages(ticket, 'breach', at('2026-06-08T08:30:22.981+02:00'), calendar, { onCall: ['oncall@provider.example'], customerContacts: ['it@acme.example'], hypercare: true }, url);
const digestAt = at('2026-11-30T08:00:00.000+01:00');
/** A ticket's email to these people. */
const mail = (t: typeof ticket, recipients: string[], consoleUrl?: string) => ({ ticket: t, recipients, timeZone: calendar.timeZone, consoleUrl });
const reply = { id: 'c0ffee00-0000-4000-8000-000000000001', body: 'The sync runs again since 09:12.\n\nCould you check the leads from this morning?' };

/** Every kind of message, from realistic inputs: a kind missing here does not compile. */
const RENDERINGS: Record<AlertMessage['kind'], (consoleUrl?: string) => AlertMessage[]> = {
  warning: (url) => alertMessages(ticket, 'warning', at('2026-06-08T08:29:00+02:00'), calendar, { onCall: ['oncall@provider.example'], customerContacts: [], hypercare: false }, url),
  breach: (url) => breach(url).filter((m) => m.kind === 'breach'),
  'breach-notice': (url) => breach(url).filter((m) => m.kind === 'breach-notice'),
  'service-window': (url) => windowNotices(window, [acme], calendar, url),
  'service-window-cancelled': (url) => cancellationNotices(window, [{ customerId: 'ACME', recipients: ['it@acme.example'] }], calendar, url),
  'hypercare-overdue': (url) => overdueAlerts('ACME', 'Acme A/S', hypercareState(acme.hypercare!, overdue, calendar.timeZone), ['oncall@provider.example'], calendar.timeZone, url),
  'hypercare-digest': (url) => [
    digestMessage({
      profile: acme,
      occasion: { id: '2026-11-30', at: digestAt },
      recipients: ['it@acme.example'],
      tickets: [openTicket('ACME-43', 'ACME', { title: 'Waiting on a log', description: 'd', category: 'configuration', priority: 'high' }, customer, at('2026-11-24T09:13:07.250+01:00'), calendar)],
      figures: [
        {
          target: 'api',
          week: { availabilityPercent: 99.61538461538461, incidents: [{ start: at('2026-11-25T10:00:00+01:00'), end: at('2026-11-25T10:10:00+01:00'), minutes: 10 }] },
          month: { availabilityPercent: 99.8076923076923, targetPercent: 99.5 },
        },
      ],
      windows: [window],
      calendar,
      consoleUrl: url,
    }),
  ],
  incident: (url) => incidentMessages('crm', at('2026-11-10T09:07:12.345+01:00'), 'status 503', ['Acme A/S (ACME)'], ['escalation@provider.example'], calendar, url),
  'consultancy-approval': (url) => [...approvalNotice(proposed, acme, false, undefined, url), ...approvalNotice(increased, acme, false, increased.increases.at(-1), url)],
  'report-ready': (url) =>
    reportReadyMessages({ month: parseMonth('2026-11'), version: 2, createdAt: at('2026-12-02T10:02:59.999+01:00'), by: 'local-finance', reason: 'A late first response was corrected' }, [acme], {
      finance: ['finance@provider.example'],
      timeZone: calendar.timeZone,
      consoleUrl: url,
    }),
  'ticket-assigned': (url) =>
    assignmentNotice(
      { ...ticket, assignee: 'local-agent', version: 2 },
      { subject: 'local-agent', name: 'Ada Agent', email: 'ada@provider.example', role: 'agent', issuedAt: ticket.openedAt, updatedAt: ticket.openedAt },
      'Alan Admin',
      calendar.timeZone,
      url,
    ),
  'ticket-received': (url) => [
    ...ticketReceived(mail(ticket, ['alice@acme.example', 'it@acme.example'], url)),
    ...ticketReceived(mail({ ...ticket, id: 'ACME-44', priority: 'medium' }, ['alice@acme.example'], url), { askImpact: true }),
  ],
  'ticket-reply': (url) => ticketReply(mail({ ...ticket, status: 'in_progress' }, ['alice@acme.example'], url), reply, 'Ada Agent'),
  'ticket-status': (url) => (['waiting_on_customer', 'resolved', 'closed'] as const).flatMap((status, i) => ticketStatus(mail({ ...ticket, status, version: 3 + i }, ['alice@acme.example'], url))),
  'ticket-urgent': (url) => [
    ...ticketUrgent(mail({ ...ticket, impact: 'all-users-data-loss-risk', hypercare: true }, ['oncall@provider.example'], url)),
    ...ticketUrgent(mail({ ...ticket, id: 'ACME-45', priority: 'high' }, ['oncall@provider.example'], url)),
  ],
  'inbound-refused': (url) => inboundRefusal({ to: 'bob@unknown.example', occasionId: 'inbound-refused#bob@unknown.example#2026-12-02' }, 'unknown-sender', url),
  'ticket-customer-reply': (url) => ticketCustomerReply(mail({ ...ticket, status: 'waiting_on_customer' }, ['ada@provider.example'], url), reply, 'Alice Customer'),
};

/** What a reader sees of the HTML: its text, entities decoded. */
const htmlText = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)))
    .replace(/&amp;/g, '&');
/** Words in order, without the layout's punctuation (list dashes, label colons). */
const words = (text: string) =>
  text
    .replace(/^- /gm, '')
    .replace(/:(\s|$)/g, '$1')
    .split(/\s+/)
    .filter(Boolean);

/** What no message may show a person. */
const RAW = [
  ['an ISO timestamp', /\d{4}-\d\d-\d\dT/],
  ['a time with seconds or milliseconds', /\d\d:\d\d[:.]\d/],
  ['a fraction of a minute', /\d+\.\d+ ?min/],
  ['a camelCase key', /\b[a-z]+[A-Z][A-Za-z]*\b/],
  ['a snake_case key', /\b[a-z]+_[a-z_]+\b/],
  ['a lower-case priority or status standing as a value', /(?:^|[:(,·] ?)(?:highest|high|medium|low|lowest|open|in progress|waiting on customer|resolved|closed)(?=$|[,;)·])/m],
  ['an amount in minor units', /\b\d{5,}\b(?!-)/],
  ['an amount of a thousand or more without grouping', /\b\d{4,}\.\d\d\b/],
  ['a person by a local account id', /\blocal-[a-z]/],
  ['a person by a Cognito subject', /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/i],
  ['a person by an email address, or an id that looks like one', /[\w.+-]+@[\w-]+/],
  ['an HTTP method and route', /\b(?:GET|POST|PUT|PATCH|DELETE) \//],
  ['a plural after one', /\b1 (?:business )?(?:minutes|hours|days)\b/],
  ['a time zone key', /Europe\/Copenhagen/],
] as const;

describe('every message, as its reader gets it', () => {
  for (const [kind, render] of Object.entries(RENDERINGS)) {
    describe(kind, () => {
      const messages = render(CONSOLE);

      it('is rendered, on every channel it goes by, with a subject and a first line that is not the subject', () => {
        expect(messages.length).toBeGreaterThan(0);
        for (const m of messages) {
          expect(m.kind).toBe(kind);
          expect(m.subject.length).toBeGreaterThan(10);
          const first = m.body.split('\n')[0]!;
          expect(first.length).toBeGreaterThan(10);
          expect(first).not.toBe(m.subject);
        }
      });

      it('shows no raw value: no ISO time, seconds, key, lower-case priority, minor units, route or "1 minutes"', () => {
        for (const m of messages) {
          for (const text of [m.subject, m.body, ...(m.html ? [htmlText(m.html)] : [])]) {
            for (const [what, pattern] of RAW) expect(text, `${m.id}: ${what}`).not.toMatch(pattern);
          }
        }
      });

      it('links into the console, and each email says the same in plain text and HTML', () => {
        for (const m of messages) {
          expect(m.body).toContain(`${CONSOLE}/#/`);
          if (m.channel === 'email') {
            expect(m.html, m.id).toBeDefined();
            expect(m.html).toContain(`href="${CONSOLE}/#/`);
            expect(words(htmlText(m.html!))).toEqual(words(m.body));
          }
        }
      });

      it('reads well without a console address: no link, nothing left dangling', () => {
        for (const m of render(undefined)) {
          expect(m.body).not.toMatch(/https?:|undefined|#\//);
          expect(m.html ?? '').not.toMatch(/href=|undefined/);
        }
      });
    });
  }

  it("says the warning's last business minute in the singular, and the explanation in whole minutes without seconds", () => {
    const [email] = RENDERINGS.warning(CONSOLE);
    expect(email!.subject).toMatch(/, 1 business minute left$/);
    expect(email!.body).toContain('Thu 4 Jun 2026: 30 minutes counted (15:30–16:00)');
    expect(email!.body).toContain('First response due: Mon 8 Jun 2026, 08:30');
  });

  it('writes a breach to each reader: the desk is told what to do, the customer what happened and where to follow it', () => {
    const messages = breach(CONSOLE);
    const to = (address: string) => messages.filter((m) => m.recipients?.includes(address));
    const [desk] = to('oncall@provider.example');
    const [customer] = to('it@acme.example');
    expect([to('oncall@provider.example').length, to('it@acme.example').length]).toEqual([1, 1]);
    expect(desk!.id).not.toBe(customer!.id);
    expect(desk!.body.split('\n')[0]).toMatch(/^Answer ACME-42 now: /);
    expect(desk!.body).toContain('How the deadline was reached');
    // The customer reads about their ticket, not the desk's orders or its workings.
    expect(customer!.subject).not.toBe(desk!.subject);
    expect(customer!.body.split('\n')[0]).toMatch(/^Follow ACME-42 in the console: .*the support desk has been told to answer it now\.$/);
    expect(customer!.body).toContain(`Open your ticket: ${CONSOLE}/#/tickets/ACME-42`);
    expect(customer!.body).not.toMatch(/Answer ACME-42|Support desk:|In hypercare|How the deadline was reached|Definitions? of usage|Customer contacts/);
    expect(messages.find((m) => m.channel === 'sns')!.body).toBe(desk!.body);
  });

  it("names the digest's conditions in words and the tickets' priority and status by their names", () => {
    const [digest] = RENDERINGS['hypercare-digest'](CONSOLE);
    expect(digest!.body).toContain("Met: The provider's sign-off (Fri 20 Nov 2026, 10:02)");
    expect(digest!.body).toContain('Not yet: Transition to standard support');
    expect(digest!.body).toContain('Thu 10 Dec 2026, 18:00 to 20:00: Database upgrade');
    expect(digest!.body).toContain('ACME-43: Waiting on a log (High, Open;');
  });
});

describe("a ticket's emails to the people involved", () => {
  it('promise the first response in Copenhagen time, and ask who is affected only when asked to', () => {
    const [told, asked] = RENDERINGS['ticket-received'](CONSOLE);
    expect(told!.body.split('\n')[0]).toBe('We will respond by Mon 8 Jun 2026, 08:30. Your ticket is ACME-42, priority Highest.');
    expect(told!.body).not.toMatch(/who is affected/);
    expect(asked!.body).toMatch(/Please tell us who is affected, by replying to this email: all users affected, risk of data loss; .*; inquiry\./);
  });

  it("quote the reply, say each status the requester is told of, and 'reply to reopen' a resolved one", () => {
    const [reply] = RENDERINGS['ticket-reply'](CONSOLE);
    expect(reply!.body).toContain('Ada Agent wrote:\nThe sync runs again since 09:12.\n\nCould you check the leads from this morning?');
    const statuses = RENDERINGS['ticket-status'](CONSOLE);
    expect(statuses.map((m) => m.subject)).toEqual(['[ACME-42] We need your answer: Leads stopped syncing', '[ACME-42] Resolved: Leads stopped syncing', '[ACME-42] Closed: Leads stopped syncing']);
    expect(statuses[1]!.body.split('\n')[0]).toMatch(/reply to reopen it\.$/);
    expect(ticketStatus(mail({ ...ticket, status: 'in_progress' }, ['alice@acme.example'], CONSOLE))).toEqual([]);
  });

  it('tell on-call of Highest and High tickets only, and send nothing to no one', () => {
    expect(RENDERINGS['ticket-urgent'](CONSOLE).map((m) => m.subject)).toEqual(['[Urgent] ACME-42 Highest: Leads stopped syncing', '[Urgent] ACME-45 High: Leads stopped syncing']);
    for (const priority of ['medium', 'low', 'lowest'] as const) expect(ticketUrgent(mail({ ...ticket, priority }, ['oncall@provider.example'], CONSOLE))).toEqual([]);
    expect(ticketReceived(mail(ticket, [], CONSOLE))).toEqual([]);
  });
});
