import * as z from 'zod/mini';
import { CURRENCY, CUSTOMER_ID, MONTH, TARGET_NAME, TICKET_ID } from '../../domain/identifiers';
import { CONSULTANCY_SERVICES, CONSULTANCY_STATUSES, type ConsultancyService } from '../../domain/consultancy/consultancy';
import { CONTACT_PURPOSES } from '../../domain/customers/customer';
import { DEFINITIONS_OF_USAGE, IMPACTS, PRIORITIES } from '../../domain/sla/sla-policy';
import { CATEGORIES, SLA_STATES, STATUSES } from '../../domain/tickets/ticket';
import { CATEGORY_NAMES, CONSULTANCY_STATUS_NAMES, PRIORITY_NAMES, SLA_STATE_NAMES, STATUS_NAMES } from '../../domain/wording';
import { dateTimeField, type SchemaWords, worded } from '../zod-messages';

/**
 * The API's request shapes, in zod's mini flavour (it tree-shakes: cold start
 * is the user's latency). Objects are strict: unknown fields, and fields the
 * server owns (id, customerId, status on create, deadlines, timestamps), are refused.
 */
/** Half a character (a lone surrogate): JSON can carry one, a stored string must not. */
const HALF_CHARACTER = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const text = (max: number) =>
  z.string().check(
    z.trim(),
    z.minLength(1),
    z.maxLength(max),
    z.refine((s) => !HALF_CHARACTER.test(s), { message: 'Remove the broken character from the text' }),
  );

export const CUSTOMER = { label: 'the customer', missing: 'Name the customer', form: 'Customer ids are upper case: 2 to 16 capital letters and digits, starting with a letter, such as ACME' };

/**
 * How the fields are named in validation messages: these for any request that
 * has them, each schema adding its own (zod-messages.ts makes the sentences).
 */
const COMMON: SchemaWords = {
  customerId: CUSTOMER,
  ticketId: { label: 'the ticket', form: 'Give a ticket id such as ACME-42' },
  month: { label: 'the month', missing: 'Give the month, for example 2026-11', form: 'Give the month as year and month, for example 2026-11' },
  target: { label: 'the target', form: 'Name the target in lower-case letters, digits and dashes, at most 32 characters, such as api' },
  limit: { label: 'the page size' },
  cursor: { label: 'the cursor' },
  reason: { label: 'the reason', missing: 'Give a reason, or leave it out' },
  note: { label: 'the note', missing: 'Write a note, or leave it out' },
};
const words = (own: SchemaWords): SchemaWords => ({ ...COMMON, ...own });

const IMPACT_NAMES = Object.fromEntries(IMPACTS.map((impact) => [impact, DEFINITIONS_OF_USAGE[impact].definition]));
const PICK_IMPACT = 'Pick who is affected';
const TITLE = { label: 'the title', missing: 'Give the ticket a title' };
const CATEGORY = { label: 'the category', missing: 'Choose a category', names: CATEGORY_NAMES };
const PRIORITY = { label: 'the priority', names: PRIORITY_NAMES };

/** An object's check that runs even when a field failed, so an empty form hears of every field at once. */
const evenWithOtherProblems = { when: (payload: { value: unknown }) => typeof payload.value === 'object' && payload.value !== null && !Array.isArray(payload.value) };

export const NewTicketBody = worded(
  z
    .strictObject({
      title: text(200),
      description: text(20_000),
      category: z.enum(CATEGORIES),
      priority: z.optional(z.enum(PRIORITIES)),
      impact: z.optional(z.enum(IMPACTS)),
    })
    .check(
      z.refine((b) => b.priority !== undefined || b.impact !== undefined, { message: PICK_IMPACT, path: ['impact'], ...evenWithOtherProblems }),
      z.refine((b) => b.priority === undefined || b.impact === undefined, { message: 'Give either the priority or who is affected, not both' }),
    ),
  words({
    title: TITLE,
    description: { label: "the ticket's description", missing: "Write the ticket's description" },
    category: CATEGORY,
    priority: PRIORITY,
    impact: { label: 'who is affected', missing: PICK_IMPACT, names: IMPACT_NAMES },
  }),
);

/** A person by their token's subject, as the API names them. */
const SUBJECT = z.string().check(z.minLength(1), z.maxLength(200));
const ASSIGNEE = { label: 'the assignee', missing: 'Name the agent or admin to assign, or null for no one', form: "Give an agent's or admin's id from the list of agents, or null for no one" };

export const TicketChangeBody = worded(
  z
    .strictObject({
      title: z.optional(text(200)),
      category: z.optional(z.enum(CATEGORIES)),
      priority: z.optional(z.enum(PRIORITIES)),
      status: z.optional(z.enum(STATUSES)),
      /** Who owns the ticket: an agent's or admin's id (their token's subject), or null for no one. */
      assignee: z.optional(z.nullable(SUBJECT)),
    })
    .check(z.refine((b) => Object.keys(b).length > 0, { message: 'Change at least one of the title, category, priority, status or assignee' })),
  words({ title: TITLE, category: CATEGORY, priority: PRIORITY, status: { label: 'the status', names: STATUS_NAMES }, assignee: ASSIGNEE }),
);

export const NewCommentBody = worded(
  z.strictObject({ body: text(20_000), visibility: z.enum(['public', 'internal']) }),
  words({
    body: { label: 'the reply', missing: 'Write the reply' },
    visibility: { label: 'who sees it', missing: 'Choose who sees the reply', names: { public: 'public (the customer sees it)', internal: 'internal (agents only)' } },
  }),
);

export const NewAttachmentBody = worded(
  z.strictObject({
    filename: text(255),
    contentType: z.string().check(z.trim(), z.minLength(1), z.maxLength(127)),
    size: z.int().check(z.minimum(1)),
    visibility: z.optional(z.enum(['public', 'internal'])),
  }),
  words({
    filename: { label: "the file's name", missing: "Give the file's name" },
    contentType: { label: "the file's type", missing: "Give the file's type, such as image/png" },
    size: { label: "the file's size", missing: "Give the file's size in bytes", form: "Give the file's size as a whole number of bytes, at least 1" },
    visibility: { label: 'who sees it', names: { public: 'public (the customer sees it)', internal: 'internal (agents only)' } },
  }),
);

const limit = z._default(z.pipe(z.coerce.number(), z.int().check(z.minimum(1), z.maximum(100))), 25);
const cursor = z.optional(z.string().check(z.maxLength(2048)));

/** `a,b,c` in a query: one or several of the allowed values. */
const oneOrMore = <T extends readonly [string, ...string[]]>(values: T, names: Readonly<Record<T[number], string>>) =>
  z
    .pipe(
      z.string(),
      z.transform((text: string) => text.split(',').map((v) => v.trim()) as T[number][]),
    )
    .check(
      z.refine((list) => list.length > 0 && list.length <= values.length && list.every((v) => (values as readonly string[]).includes(v)), {
        message: `Choose one or more of: ${values.map((v: T[number]) => names[v]).join(', ')}, separated by commas`,
      }),
    );

export const TicketListQuery = worded(
  z
    .strictObject({
      status: z.optional(oneOrMore(STATUSES, STATUS_NAMES)),
      priority: z.optional(z.enum(PRIORITIES)),
      customerId: z.optional(z.string().check(z.regex(CUSTOMER_ID))),
      /** The first-response SLA as it stands: running (no outcome yet), met, or breached. */
      sla: z.optional(z.enum(SLA_STATES)),
      /** Text the title contains, in any case. */
      title: z.optional(z.string().check(z.minLength(1), z.maxLength(200))),
      /** `no`: only tickets whose first response is still to be given (breached ones the desk must answer now); `yes`: only answered ones. */
      answered: z.optional(z.enum(['yes', 'no'])),
      /** Who owns them (the provider only): `me`, `none`, or a person's id. */
      assignee: z.optional(SUBJECT),
      /** `opened`: newest first (the default); `due`: what breaches next first, running tickets only. */
      sort: z._default(z.enum(['opened', 'due']), 'opened'),
      limit,
      cursor,
    })
    .check(z.refine((q) => q.sort !== 'due' || q.sla === 'running', { message: 'Sorting by due time lists the running tickets only: ask for sla=running with it' })),
  words({
    priority: PRIORITY,
    sla: { label: 'the SLA state', names: SLA_STATE_NAMES },
    title: { label: 'the title text', missing: 'Give some of the title, or leave it out' },
    answered: { label: 'whether the first response was given', names: { yes: 'yes', no: 'no' } },
    assignee: { label: 'the assignee', missing: "Give me, none, or an agent's id, or leave it out", form: "Give me, none, or an agent's id" },
    sort: { label: 'the order', names: { opened: 'opened (newest first)', due: 'due (next deadline first)' } },
  }),
);

export const PageQuery = worded(z.strictObject({ limit, cursor }), COMMON);

export const PeopleQuery = worded(
  z
    .strictObject({
      /** `agent`: the people who may own tickets, agents and admins alike. */
      role: z.optional(z.enum(['agent'])),
      /** Whoever has this address (admins): the id a data subject's request starts from. */
      email: z.optional(z.email().check(z.maxLength(254))),
      limit,
      cursor,
    })
    .check(z.refine((q) => (q.role === undefined) !== (q.email === undefined), { message: 'Ask for role=agent (the people who may own tickets) or for email=<address> (admins), one of the two' })),
  words({
    role: { label: 'the role', names: { agent: 'agent' } },
    email: { label: 'the email address', form: 'Give an email address, such as alice@acme.example' },
  }),
);

export const ErasureBody = worded(
  z.strictObject({ reason: text(500), redactText: z.optional(z.boolean()) }),
  words({
    reason: { label: 'the reason', missing: 'Say why the person is erased, for the record: the request it answers' },
    redactText: { label: 'whether to remove the text of their comments' },
  }),
);

export const PersonDataQuery = worded(
  z.strictObject({ reason: text(500) }),
  words({ reason: { label: 'the reason', missing: 'Say why the data is asked for, for the record: the request it answers' } }),
);

export const TicketIdParam = z.string().check(z.regex(TICKET_ID));

export const CustomerIdParam = z.string().check(z.regex(CUSTOMER_ID));

export const CustomerProfileBody = worded(
  z
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
    .check(z.refine((b) => b.hypercareWeeks === undefined || b.goLiveAt !== undefined, { message: 'Hypercare weeks count from the go-live: give the go-live too', path: ['goLiveAt'] })),
  words({
    name: { label: "the customer's name", missing: "Give the customer's name" },
    contacts: { label: 'the contacts', form: 'Give the contacts as a list, each with an email and what it receives' },
    'contacts.email': { label: "each contact's email", missing: "Give each contact's email" },
    'contacts.name': { label: "a contact's name", missing: "Give the contact's name, or leave it out" },
    'contacts.receives': { label: 'what a contact receives', missing: 'Choose at least one thing each contact receives' },
    goLiveAt: dateTimeField('the go-live'),
    hypercareWeeks: { label: 'the hypercare length in weeks' },
    consultancyRate: { label: 'the consultancy rate', form: 'Give the consultancy rate as an hourly amount and a currency' },
    'consultancyRate.hourly': { label: 'the hourly rate', form: 'Give the hourly rate as an amount, for example 1250.00' },
    'consultancyRate.currency': { label: 'the currency', form: 'Give the currency as three capital letters, for example DKK' },
  }),
);

export const HypercareExtensionBody = worded(
  z.strictObject({ weeks: z.int().check(z.minimum(1), z.maximum(26)), reason: text(1000) }),
  words({ weeks: { label: 'the extra weeks', missing: 'Give the number of extra weeks' }, reason: { label: 'the reason', missing: 'Give the reason for the extension' } }),
);
export const HypercareTransitionBody = worded(z.strictObject({ note: z.optional(text(2000)) }), COMMON);

const month = z.string().check(z.regex(MONTH));
const TargetName = z.string().check(z.regex(TARGET_NAME));

export const NewServiceWindowBody = worded(
  z.strictObject({
    start: z.iso.datetime({ offset: true }),
    end: z.iso.datetime({ offset: true }),
    reason: text(500),
    targets: z.optional(z.array(TargetName).check(z.minLength(1), z.maxLength(20))),
  }),
  words({
    start: dateTimeField('the start'),
    end: dateTimeField('the end'),
    reason: { label: 'the reason', missing: 'Give the reason for the service window' },
    targets: { ...COMMON.target, label: 'the targets', missing: 'Name at least one target, or leave the targets out' },
  }),
);

export const MonthQuery = worded(z.strictObject({ month }), COMMON);
export const AvailabilityQuery = worded(z.strictObject({ month, target: z._default(TargetName, 'api') }), COMMON);

const SERVICE_IDS = Object.keys(CONSULTANCY_SERVICES) as [ConsultancyService, ...ConsultancyService[]];
/** Hours as a number; the domain holds them to whole quarter-hours and REQUEST_LIMITS. Texts are short: they live in the request's record. */
const hours = z.number().check(z.positive());
const reason = z.optional(text(2000));

export const NewConsultancyBody = worded(
  z.strictObject({
    /** For an agent's proposal; a customer's own request takes it from the token. */
    customerId: z.optional(z.string().check(z.regex(CUSTOMER_ID))),
    service: z.enum(SERVICE_IDS),
    description: text(5000),
    estimateHours: hours,
    ticketId: z.optional(z.string().check(z.regex(TICKET_ID))),
  }),
  words({
    service: { label: 'the service', missing: 'Choose the service' },
    description: { label: 'the description of the work', missing: 'Describe the work' },
    estimateHours: { label: 'the estimate in hours', missing: 'Give an estimate in hours' },
  }),
);

/** Approve, reject or cancel: an optional reason. An absent body is an empty one. */
export const ConsultancyDecisionBody = worded(z.strictObject({ reason }), COMMON);
const DAY = 'Give the day the work was done, for example 2026-12-10';
export const TimeEntryBody = worded(
  z.strictObject({ hours, date: z.string().check(z.maxLength(10)), note: text(500) }),
  words({
    hours: { label: 'the hours', missing: 'Give the hours worked' },
    date: { label: 'the date', missing: DAY, form: DAY },
    note: { label: 'the note', missing: 'Say what was done' },
  }),
);
export const IncreaseBody = worded(
  z.strictObject({ hours, reason: text(1000) }),
  words({ hours: { label: 'the extra hours', missing: 'Give the extra hours' }, reason: { label: 'the reason', missing: 'Say why more hours are needed' } }),
);

export const ConsultancyListQuery = worded(
  z
    .strictObject({
      status: z.optional(z.enum(CONSULTANCY_STATUSES)),
      customerId: z.optional(z.string().check(z.regex(CUSTOMER_ID))),
      /** The month's billable time instead of the requests: finance's view. */
      month: z.optional(month),
      limit,
      cursor,
    })
    .check(z.refine((q) => q.month === undefined || (q.status === undefined && q.cursor === undefined), { message: 'A month lists the whole month: ask for it alone, or with a customer' })),
  words({ status: { label: 'the status', names: CONSULTANCY_STATUS_NAMES } }),
);

export const ReportRequestBody = worded(z.strictObject({ reason: z.optional(text(500)) }), COMMON);
export const ReportYearQuery = worded(
  z.strictObject({ year: z.pipe(z.coerce.number(), z.int().check(z.minimum(2000), z.maximum(2100))) }),
  words({ year: { label: 'the year', missing: 'Give the year, for example 2026' } }),
);
export const ReportFileQuery = worded(
  z.strictObject({ version: z.optional(z.pipe(z.coerce.number(), z.int().check(z.minimum(1), z.maximum(100_000)))) }),
  words({ version: { label: 'the version' } }),
);
