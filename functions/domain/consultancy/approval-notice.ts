import { contactsFor, type CustomerProfile } from '../customers/customer';
import type { AlertMessage } from '../notifications/alerts';
import { CONSULTANCY_SERVICES, type ConsultancyRequest, type Increase } from './consultancy';
import { hoursOf } from './hours';
import { formatAmount } from './money';

/**
 * The email telling the customer's approvers that consultancy waits for their
 * prior approval: a new request, or more hours on approved work. Its id names
 * the occasion, so it is queued and sent once. No approvers on record: no email
 * (the request still waits in the console and the API).
 */
export function approvalNotice(request: ConsultancyRequest, profile: CustomerProfile | undefined, hypercare: boolean, increase?: Increase): AlertMessage[] {
  const recipients = contactsFor(profile, 'approvals');
  if (recipients.length === 0) return [];
  const who = profile ? `${profile.name} (${request.customerId})` : request.customerId;
  const rate = request.approval?.rate ?? profile?.consultancyRate;
  const price = rate ? `${formatAmount(rate.hourly, rate.currency)} ${rate.currency} an hour${request.approval ? ', as approved' : ', the rate now agreed'}` : 'no rate agreed yet';
  const what = increase
    ? [
        `${hoursOf(increase.quarters)} more hours are asked for on approved consultancy ${request.id}.`,
        `Reason: ${increase.reason}`,
        '',
        `Approve: POST /consultancy/${request.id}/increase/${increase.n}/approve`,
        `Reject: POST /consultancy/${request.id}/increase/${increase.n}/reject`,
      ]
    : [
        `Estimate: ${hoursOf(request.estimateQuarters)} hours`,
        `Description: ${request.description}`,
        '',
        `Approve: POST /consultancy/${request.id}/approve`,
        `Reject: POST /consultancy/${request.id}/reject`,
      ];
  const subject = `[Consultancy approval] ${who}: ${CONSULTANCY_SERVICES[request.service]}${increase ? `, ${hoursOf(increase.quarters)} more hours` : ''}`;
  const body = [subject, '', `Request: ${request.id}`, `Rate: ${price}`, ...what, '', 'No work is done or billed before your approval.'].join('\n');
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
      body,
      recipients,
    },
  ];
}
