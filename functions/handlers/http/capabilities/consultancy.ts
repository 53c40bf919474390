import { capabilityHandler } from '../capability';
import { handler as createConsultancy } from '../create-consultancy';
import { handler as listConsultancy } from '../list-consultancy';
import { handler as getConsultancy } from '../get-consultancy';
import { handler as listConsultancyEvents } from '../list-consultancy-events';
import { handler as cancelConsultancy } from '../cancel-consultancy';
import { handler as completeConsultancy } from '../complete-consultancy';
import { handler as logConsultancyTime } from '../log-consultancy-time';
import { handler as requestConsultancyIncrease } from '../request-consultancy-increase';
import { handler as approveConsultancy } from '../approve-consultancy';
import { handler as rejectConsultancy } from '../reject-consultancy';
import { handler as approveConsultancyIncrease } from '../approve-consultancy-increase';
import { handler as rejectConsultancyIncrease } from '../reject-consultancy-increase';

/** Consultancy: requests, approvals, increases and time. */
export const handler = capabilityHandler('consultancy', [
  createConsultancy,
  listConsultancy,
  getConsultancy,
  listConsultancyEvents,
  cancelConsultancy,
  completeConsultancy,
  logConsultancyTime,
  requestConsultancyIncrease,
  approveConsultancy,
  rejectConsultancy,
  approveConsultancyIncrease,
  rejectConsultancyIncrease,
]);
