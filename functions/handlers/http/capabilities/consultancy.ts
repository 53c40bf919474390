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
export const handler = capabilityHandler('consultancy', { 'create-consultancy': createConsultancy, 'list-consultancy': listConsultancy, 'get-consultancy': getConsultancy, 'list-consultancy-events': listConsultancyEvents, 'cancel-consultancy': cancelConsultancy, 'complete-consultancy': completeConsultancy, 'log-consultancy-time': logConsultancyTime, 'request-consultancy-increase': requestConsultancyIncrease, 'approve-consultancy': approveConsultancy, 'reject-consultancy': rejectConsultancy, 'approve-consultancy-increase': approveConsultancyIncrease, 'reject-consultancy-increase': rejectConsultancyIncrease });
