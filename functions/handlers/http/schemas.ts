import * as z from 'zod/mini';
import { CURRENCY, CUSTOMER_ID, MONTH, TARGET_NAME, TICKET_ID } from '../../domain/identifiers';
import { CONSULTANCY_SERVICES, CONSULTANCY_STATUSES, type ConsultancyService } from '../../domain/consultancy/consultancy';
import { CONTACT_PURPOSES } from '../../domain/customers/customer';
import { IMPACTS, PRIORITIES } from '../../domain/sla/sla-policy';
import { CATEGORIES, SLA_STATES, STATUSES } from '../../domain/tickets/ticket';

/**
 * The API's request shapes, in zod's mini flavour (it tree-shakes: cold start
 * is the user's latency). Objects are strict: unknown fields, and fields the
 * server owns (id, customerId, status on create, deadlines, timestamps), are refused.
 */
const text = (max: number) => z.string().check(z.trim(), z.minLength(1), z.maxLength(max));

export const NewTicketBody = z
  .strictObject({
    title: text(200),
    description: text(20_000),
    category: z.enum(CATEGORIES),
    priority: z.optional(z.enum(PRIORITIES)),
    impact: z.optional(z.enum(IMPACTS)),
  })
  .check(z.refine((b) => (b.priority === undefined) !== (b.impact === undefined), { message: 'give either priority or impact, not both and not neither' }));

export const TicketChangeBody = z
  .strictObject({
    title: z.optional(text(200)),
    category: z.optional(z.enum(CATEGORIES)),
    priority: z.optional(z.enum(PRIORITIES)),
    status: z.optional(z.enum(STATUSES)),
  })
  .check(z.refine((b) => Object.keys(b).length > 0, { message: 'change at least one field' }));

export const NewCommentBody = z.strictObject({ body: text(20_000), visibility: z.enum(['public', 'internal']) });

const limit = z._default(z.pipe(z.coerce.number(), z.int().check(z.minimum(1), z.maximum(100))), 25);
const cursor = z.optional(z.string().check(z.maxLength(2048)));

/** `a,b,c` in a query: one or several of the allowed values. */
const oneOrMore = <T extends readonly [string, ...string[]]>(values: T) =>
  z
    .pipe(
      z.string(),
      z.transform((text: string) => text.split(',').map((v) => v.trim()) as T[number][]),
    )
    .check(
      z.refine((list) => list.length > 0 && list.length <= values.length && list.every((v) => (values as readonly string[]).includes(v)), {
        message: `one or more of ${values.join(', ')}, comma-separated`,
      }),
    );

export const TicketListQuery = z
  .strictObject({
    status: z.optional(oneOrMore(STATUSES)),
    priority: z.optional(z.enum(PRIORITIES)),
    customerId: z.optional(z.string().check(z.regex(CUSTOMER_ID))),
    /** The first-response SLA as it stands: running (no outcome yet), met, or breached. */
    sla: z.optional(z.enum(SLA_STATES)),
    /** Text the title contains, in any case. */
    title: z.optional(z.string().check(z.minLength(1), z.maxLength(200))),
    /** `opened`: newest first (the default); `due`: what breaches next first, running tickets only. */
    sort: z._default(z.enum(['opened', 'due']), 'opened'),
    limit,
    cursor,
  })
  .check(z.refine((q) => q.sort !== 'due' || q.sla === 'running', { message: 'sort=due orders the running tickets: use it with sla=running' }));

export const PageQuery = z.strictObject({ limit, cursor });

export const TicketIdParam = z.string().check(z.regex(TICKET_ID));

export const CustomerIdParam = z.string().check(z.regex(CUSTOMER_ID));

export const CustomerProfileBody = z
  .strictObject({
    name: text(200),
    contacts: z._default(
      z
        .array(z.strictObject({ email: z.email(), name: z.optional(text(200)), receives: z.array(z.enum(CONTACT_PURPOSES)).check(z.minLength(1), z.maxLength(CONTACT_PURPOSES.length)) }))
        .check(z.maxLength(50)),
      [],
    ),
    /** When the customer went (or goes) live: hypercare starts then. */
    goLiveAt: z.optional(z.iso.datetime({ offset: true })),
    /** The agreed hypercare length, in weeks. */
    hypercareWeeks: z.optional(z.int().check(z.minimum(1), z.maximum(52))),
    /** The hourly consultancy rate in major units ("1250.00") and its ISO 4217 currency. */
    consultancyRate: z.optional(z.strictObject({ hourly: z.union([z.string().check(z.maxLength(20)), z.number()]), currency: z.string().check(z.regex(CURRENCY)) })),
  })
  .check(z.refine((b) => b.hypercareWeeks === undefined || b.goLiveAt !== undefined, { message: 'hypercareWeeks needs a goLiveAt to count from' }));

export const HypercareExtensionBody = z.strictObject({ weeks: z.int().check(z.minimum(1), z.maximum(26)), reason: text(1000) });
export const HypercareTransitionBody = z.strictObject({ note: z.optional(text(2000)) });

const month = z.string().check(z.regex(MONTH, 'month must be YYYY-MM'));
const TargetName = z.string().check(z.regex(TARGET_NAME, 'lower-case letters, digits and dashes, at most 32'));

export const NewServiceWindowBody = z.strictObject({
  start: z.iso.datetime({ offset: true }),
  end: z.iso.datetime({ offset: true }),
  reason: text(500),
  targets: z.optional(z.array(TargetName).check(z.minLength(1), z.maxLength(20))),
});

export const MonthQuery = z.strictObject({ month });
export const AvailabilityQuery = z.strictObject({ month, target: z._default(TargetName, 'api') });

const SERVICE_IDS = Object.keys(CONSULTANCY_SERVICES) as [ConsultancyService, ...ConsultancyService[]];
/** Hours as a number; the domain holds them to whole quarter-hours and REQUEST_LIMITS. Texts are short: they live in the request's record. */
const hours = z.number().check(z.positive());
const reason = z.optional(text(2000));

export const NewConsultancyBody = z.strictObject({
  /** For an agent's proposal; a customer's own request takes it from the token. */
  customerId: z.optional(z.string().check(z.regex(CUSTOMER_ID))),
  service: z.enum(SERVICE_IDS),
  description: text(5000),
  estimateHours: hours,
  ticketId: z.optional(z.string().check(z.regex(TICKET_ID))),
});

/** Approve, reject or cancel: an optional reason. An absent body is an empty one. */
export const ConsultancyDecisionBody = z.strictObject({ reason });
export const TimeEntryBody = z.strictObject({ hours, date: z.string().check(z.maxLength(10)), note: text(500) });
export const IncreaseBody = z.strictObject({ hours, reason: text(1000) });

export const ConsultancyListQuery = z
  .strictObject({
    status: z.optional(z.enum(CONSULTANCY_STATUSES)),
    customerId: z.optional(z.string().check(z.regex(CUSTOMER_ID))),
    /** The month's billable time instead of the requests: finance's view. */
    month: z.optional(month),
    limit,
    cursor,
  })
  .check(z.refine((q) => q.month === undefined || (q.status === undefined && q.cursor === undefined), { message: 'month lists the whole month: use it alone, or with customerId' }));

export const ReportRequestBody = z.strictObject({ reason: z.optional(text(500)) });
export const ReportYearQuery = z.strictObject({ year: z.pipe(z.coerce.number(), z.int().check(z.minimum(2000), z.maximum(2100))) });
export const ReportFileQuery = z.strictObject({ version: z.optional(z.pipe(z.coerce.number(), z.int().check(z.minimum(1), z.maximum(100_000)))) });
