import * as z from 'zod/mini';
import { CALLER_ROLES } from '../../domain/actor';
import { CONSULTANCY_SERVICES, CONSULTANCY_STATUSES, type ConsultancyService } from '../../domain/consultancy/consultancy';
import { CONSULTANCY_EVENT_TYPES } from '../../domain/consultancy/consultancy-store';
import { CONTACT_PURPOSES, CUSTOMER_EVENT_TYPES } from '../../domain/customers/customer';
import { IMPACTS, PRIORITIES } from '../../domain/sla/sla-policy';
import { CATEGORIES, SLA_STATES, STATUSES, TICKET_ACTIONS } from '../../domain/tickets/ticket';

/**
 * What the API answers, as schemas: the OpenAPI document is generated from
 * them, and the API tests validate every response they receive against it.
 * Objects are strict, so a field the document does not name is a failure.
 */
const instant = z.iso.datetime({ offset: true });
const minutes = z.int().check(z.minimum(0));
const role = z.enum([...CALLER_ROLES, 'system']);

/** A person as an answer names them: the name is read from their record when the answer is made (docs/people.md). */
const person = z.strictObject({ subject: z.string(), role, name: z.string() });
/** Who did something, by subject (`by`), and the name people read (`byName`). */
const by = { by: z.string(), byName: z.string() };

const page = <T extends z.ZodMiniType>(item: T) => z.strictObject({ items: z.array(item), nextCursor: z.nullable(z.string()) });

export const TicketResponse = z.strictObject({
  id: z.string(),
  customerId: z.string(),
  title: z.string(),
  description: z.string(),
  category: z.enum(CATEGORIES),
  priority: z.enum(PRIORITIES),
  impact: z.optional(z.enum(IMPACTS)),
  status: z.enum(STATUSES),
  hypercare: z.boolean(),
  /** Who owns it: an agent or admin, by subject and the name people read (never an email to a customer); null: no one. */
  assignee: z.nullable(z.strictObject({ subject: z.string(), name: z.string() })),
  openedAt: instant,
  firstResponseDueAt: instant,
  firstRespondedAt: z.nullable(instant),
  breachedAt: z.nullable(instant),
  updatedAt: instant,
  version: z.int().check(z.minimum(1)),
  sla: z.strictObject({
    state: z.enum(SLA_STATES),
    targetMinutes: minutes,
    usedMinutes: minutes,
    leftMinutes: minutes,
    /** When on-call is warned, under the deployment's warning shares; null once answered or closed. */
    warnAt: z.nullable(instant),
  }),
  /**
   * Resolution against the desk's internal target for the priority, waits on the customer left out: null parts while unresolved.
   * Customers read resolvedAt and businessMinutes; the target, resolveBy and withinTarget are the provider's (null for a customer).
   */
  resolution: z.strictObject({
    resolvedAt: z.nullable(instant),
    businessMinutes: z.nullable(minutes),
    targetMinutes: z.nullable(minutes),
    resolveBy: z.nullable(instant),
    withinTarget: z.nullable(z.boolean()),
  }),
  /** What the caller may do to the ticket now (each would succeed): the console offers these alone. */
  actions: z.array(z.enum(TICKET_ACTIONS)),
});

export const TicketPage = page(TicketResponse);

/** The people who may own tickets, for the assign menu. */
export const PeoplePage = page(
  z.strictObject({
    subject: z.string(),
    role: z.enum(['customer', 'agent', 'finance', 'admin']),
    name: z.string(),
    /** Found by address (admins): the address and customer of each. */
    email: z.optional(z.string()),
    customerId: z.optional(z.string()),
  }),
);

const records = z.array(z.record(z.string(), z.unknown()));

/** What an erasure did: whether it erased now (false: erased before), and what it removed. */
export const ErasureResponse = z.strictObject({
  subject: z.string(),
  erased: z.boolean(),
  account: z.boolean(),
  contact: z.boolean(),
  attachments: z.int(),
  redactedComments: z.int(),
  /** Descriptions of tickets they opened, redacted with their comments. */
  redactedDescriptions: z.int(),
  /** Emails kept that named or were addressed to them, rewritten or dropped. */
  messages: z.int(),
  /** Raw emails they sent, deleted from the inbound bucket (AWS keeps them 30 days; the local stack none). */
  rawEmails: z.int(),
  /** The same person's other ids (the same address), erased with them. */
  alsoErased: z.array(z.string()),
});

/** Everything the desk holds about a person, as one document (GDPR Articles 15 and 20). */
export const PersonalDataExport = z.strictObject({
  exportedAt: instant,
  exportedBy: z.string(),
  person: z.record(z.string(), z.unknown()),
  customer: z.nullable(z.record(z.string(), z.unknown())),
  ticketsOpened: records,
  comments: records,
  attachments: records,
  ticketEvents: records,
  consultancy: z.strictObject({ decisions: records, timeEntries: records }),
  customerEvents: records,
  inboundEmails: records,
  emails: records,
});

const CommentResponse = z.strictObject({
  id: z.string(),
  body: z.string(),
  visibility: z.enum(['public', 'internal']),
  author: person,
  createdAt: instant,
});

export const NewCommentResponse = z.strictObject({ ...CommentResponse.shape, firstResponse: z.boolean() });

export const CommentPage = page(CommentResponse);

const AttachmentResponse = z.strictObject({
  id: z.string(),
  ticketId: z.string(),
  filename: z.string(),
  contentType: z.string(),
  size: z.int(),
  visibility: z.enum(['public', 'internal']),
  /** pending until its bytes are uploaded and checked; rejected (with the reason) when they were not what was declared. */
  status: z.enum(['pending', 'available', 'rejected']),
  reason: z.optional(z.string()),
  by: z.string(),
  byName: z.string(),
  createdAt: instant,
  checkedAt: z.optional(instant),
});

export const AttachmentList = z.strictObject({ items: z.array(AttachmentResponse) });

/** A new attachment, and where its bytes go: send them with `uploadMethod` and `uploadHeaders` to `uploadUrl` before `expiresAt`. */
export const AttachmentUpload = z.strictObject({
  ...AttachmentResponse.shape,
  uploadUrl: z.url(),
  uploadMethod: z.literal('PUT'),
  uploadHeaders: z.record(z.string(), z.string()),
  expiresAt: instant,
});

export const EventPage = page(
  z.strictObject({
    at: instant,
    type: z.enum(['ticket.opened', 'ticket.updated', 'ticket.assigned', 'comment.added', 'ticket.first-response', 'sla.warning', 'sla.breached']),
    actor: person,
    changes: z.record(z.string(), z.strictObject({ from: z.optional(z.unknown()), to: z.unknown() })),
  }),
);

export const CustomerEventPage = page(
  z.strictObject({
    customerId: z.string(),
    type: z.enum(CUSTOMER_EVENT_TYPES),
    at: instant,
    ...by,
    details: z.optional(z.record(z.string(), z.union([z.string(), z.number()]))),
  }),
);

/** An hourly rate in major units ("1250.00") and its currency. */
const money = z.strictObject({ hourly: z.string(), currency: z.string() });

export const CustomerResponse = z.strictObject({
  customerId: z.string(),
  name: z.string(),
  contacts: z.array(z.strictObject({ email: z.email(), name: z.optional(z.string()), receives: z.array(z.enum(CONTACT_PURPOSES)) })),
  goLiveAt: z.nullable(instant),
  hypercareWeeks: z.nullable(z.int()),
  consultancyRate: z.nullable(money),
  hypercare: z.nullable(z.strictObject({ status: z.enum(['not-started', 'active', 'concluded']), plannedEndAt: instant, overdue: z.boolean(), concludedAt: z.optional(instant) })),
  updatedAt: instant,
  version: z.int().check(z.minimum(1)),
});

const criterion = z.strictObject({ met: z.boolean(), at: z.optional(instant), by: z.optional(z.string()), byName: z.optional(z.string()) });

export const HypercareResponse = z.strictObject({
  customerId: z.string(),
  status: z.enum(['not-started', 'active', 'concluded']),
  goLiveAt: instant,
  weeks: z.int(),
  plannedEndAt: instant,
  extensions: z.array(z.strictObject({ weeks: z.int(), reason: z.string(), at: instant, ...by })),
  criteria: z.strictObject({
    operationalTwoWeeks: criterion,
    customerSignoff: criterion,
    providerSignoff: criterion,
    transition: z.strictObject({ ...criterion.shape, note: z.optional(z.string()) }),
  }),
  concludedAt: z.optional(instant),
  overdue: z.boolean(),
});

export const CustomerPage = z.strictObject({ items: z.array(CustomerResponse), nextCursor: z.nullable(z.string()) });

export const ServiceWindowResponse = z.strictObject({
  id: z.string(),
  start: instant,
  end: instant,
  reason: z.string(),
  targets: z.nullable(z.array(z.string())),
  retroactive: z.optional(z.boolean()),
  noticeMinutes: minutes,
  createdAt: instant,
  createdBy: z.string(),
});

export const ServiceWindowList = z.strictObject({ items: z.array(ServiceWindowResponse) });

const period = z.strictObject({ start: instant, end: instant, minutes });

export const AvailabilityResponse = z.strictObject({
  month: z.string(),
  target: z.string(),
  asOf: instant,
  availabilityPercent: z.nullable(z.number()),
  operatingSlots: minutes,
  excludedSlots: minutes,
  eligibleSlots: minutes,
  upSlots: minutes,
  downSlots: minutes,
  missingSlots: minutes,
  targetPercent: z.number(),
  targetMet: z.nullable(z.boolean()),
  note: z.optional(z.string()),
  downtimeBudgetLeftMinutes: z.number(),
  incidents: z.array(period),
  retroactiveWindows: z.array(z.strictObject({ id: z.optional(z.string()), start: instant, end: instant, reason: z.string(), targets: z.optional(z.array(z.string())), retroactive: z.literal(true) })),
});

export const HealthResponse = z.strictObject({ status: z.literal('ok') });

/** RFC 9457 problem details, as every error is answered. */
export const ProblemResponse = z.looseObject({
  type: z.string(),
  title: z.string(),
  status: z.int(),
  detail: z.optional(z.string()),
  instance: z.optional(z.string()),
  errors: z.optional(z.array(z.strictObject({ path: z.string(), message: z.string() }))),
});

const hoursValue = z.number().check(z.minimum(0));
const act = { at: instant, ...by };

export const ConsultancyResponse = z.strictObject({
  id: z.string(),
  customerId: z.string(),
  service: z.enum(Object.keys(CONSULTANCY_SERVICES) as [ConsultancyService, ...ConsultancyService[]]),
  serviceName: z.string(),
  description: z.string(),
  estimateHours: hoursValue,
  ticketId: z.nullable(z.string()),
  status: z.enum(CONSULTANCY_STATUSES),
  proposed: z.strictObject(act),
  /** The customer's prior approval: the hours approved and the rate then in force. */
  approval: z.nullable(z.strictObject({ ...act, hours: hoursValue, rate: money })),
  decision: z.nullable(z.strictObject({ ...act, reason: z.optional(z.string()) })),
  increases: z.array(
    z.strictObject({
      n: z.int(),
      hours: hoursValue,
      reason: z.string(),
      status: z.enum(['proposed', 'approved', 'rejected']),
      requested: z.strictObject(act),
      decided: z.nullable(z.strictObject({ ...act, reason: z.optional(z.string()) })),
    }),
  ),
  entries: z.array(z.strictObject({ id: z.string(), hours: hoursValue, date: z.string(), note: z.string(), logged: z.strictObject(act) })),
  approvedHours: hoursValue,
  loggedHours: hoursValue,
  remainingHours: hoursValue,
  /** The logged time at the approved rate, in major units; null before approval. */
  billable: z.nullable(z.strictObject({ amount: z.string(), currency: z.string() })),
  version: z.int().check(z.minimum(1)),
});

export const ConsultancyPage = page(ConsultancyResponse);

export const ConsultancyEventPage = page(
  z.strictObject({
    requestId: z.string(),
    type: z.enum(CONSULTANCY_EVENT_TYPES),
    at: instant,
    ...by,
    details: z.optional(z.record(z.string(), z.union([z.string(), z.number()]))),
  }),
);

/** A month's billable consultancy: the entries dated in it, and the totals per customer, service and approved rate. */
export const ConsultancyMonthResponse = z.strictObject({
  month: z.string(),
  entries: z.array(
    z.strictObject({
      requestId: z.string(),
      id: z.string(),
      customerId: z.string(),
      service: z.string(),
      date: z.string(),
      hours: hoursValue,
      note: z.string(),
      logged: z.strictObject(act),
      rate: money,
    }),
  ),
  totals: z.array(z.strictObject({ customerId: z.string(), service: z.string(), billableHours: hoursValue, rate: z.string(), currency: z.string(), amount: z.string() })),
});

const reportVersion = z.strictObject({ month: z.string(), version: z.int().check(z.minimum(1)), createdAt: instant, by: z.string(), byName: z.string(), reason: z.string() });
export const ReportAccepted = z.strictObject({ month: z.string(), status: z.literal('accepted'), versions: z.string() });
export const ReportMonths = z.strictObject({ year: z.int(), months: z.array(reportVersion) });
export const ReportVersions = z.strictObject({ month: z.string(), versions: z.array(reportVersion), files: z.array(z.string()) });
