import { contactsFor, type CustomerProfile } from '../customers/customer';
import type { AlertMessage } from '../notifications/alerts';
import { writeLetter } from '../notifications/message-text';
import { hoursText, moneyText, serviceName } from '../wording';
import type { ConsultancyRequest, Increase } from './consultancy';
import { hoursOf } from './hours';
import { formatAmount } from './money';

/**
 * The email telling the customer's approvers that consultancy waits for their
 * prior approval: a new request, or more hours on approved work. Its id names
 * the occasion, so it is queued and sent once. No approvers on record: no email
 * (the request still waits in the console and the API).
 */
export function approvalNotice(request: ConsultancyRequest, profile: CustomerProfile | undefined, hypercare: boolean, increase?: Increase, consoleUrl?: string): AlertMessage[] {
  const recipients = contactsFor(profile, 'approvals');
  if (recipients.length === 0) return [];
  const who = profile ? `${profile.name} (${request.customerId})` : request.customerId;
  const rate = request.approval?.rate ?? profile?.consultancyRate;
  const price = rate ? `${moneyText(formatAmount(rate.hourly, rate.currency), rate.currency)} an hour${request.approval ? ', as approved' : ', the rate now agreed'}` : 'no rate agreed yet';
  const service = serviceName(request.service);
  const hours = hoursText(hoursOf(increase ? increase.quarters : request.estimateQuarters));
  const subject = increase ? `[Consultancy approval] ${who}: ${hours} more of ${service} wait for your approval` : `[Consultancy approval] ${who}: ${hours} of ${service} wait for your approval`;
  const letter = writeLetter(
    {
      subject,
      action: increase
        ? `Approve or reject ${hours} more on consultancy ${request.id} in the console: no more work is done or billed before you approve.`
        : `Approve or reject consultancy ${request.id} in the console: no work is done or billed before you approve.`,
      link: { text: 'Open consultancy', route: '#/consultancy' },
      facts: [
        ['Request', request.id],
        ['Service', service],
        ['Rate', price],
        ...(increase
          ? ([
              ['More hours asked for', hours],
              ['Reason', increase.reason],
            ] as const)
          : ([
              ['Estimate', hours],
              ['Description', request.description],
            ] as const)),
      ],
    },
    consoleUrl,
  );
  const occasion = increase ? `${request.id}:increase-${increase.n}` : request.id;
  return [
    {
      id: `${occasion}:consultancy-approval:email`,
      channel: 'email',
      kind: 'consultancy-approval',
      about: { type: 'customer', id: request.customerId },
      customerId: request.customerId,
      hypercare,
      subject,
      body: letter.body,
      html: letter.html,
      recipients,
    },
  ];
}
