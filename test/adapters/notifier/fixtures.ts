import type { AlertMessage } from '#domain/notifications/alerts';

export const breachEmail: AlertMessage = {
  id: 'ACME-42:breach:email',
  channel: 'email',
  kind: 'breach',
  about: { type: 'ticket', id: 'ACME-42' },
  customerId: 'ACME',
  priority: 'highest',
  hypercare: true,
  subject: '[SLA breach] ACME-42 Highest: first response overdue since 08:30 (Copenhagen)',
  body: 'Ticket ACME-42 (ACME, highest) has had no first response since 08:30 Copenhagen time.\nOpen: https://desk.example.com/tickets/ACME-42',
  html: '<p>Ticket <b>ACME-42</b> (ACME, highest) has had no first response since 08:30 Copenhagen time.</p>',
  recipients: ['oncall@example.com', 'ops@example.com'],
};

export const breachSns: AlertMessage = {
  id: 'ACME-42:breach:sns',
  channel: 'sns',
  kind: 'breach',
  about: { type: 'ticket', id: 'ACME-42' },
  customerId: 'ACME',
  priority: 'highest',
  hypercare: true,
  subject: breachEmail.subject,
  body: breachEmail.body,
};
