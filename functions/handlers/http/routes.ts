import * as z from 'zod/mini';
import type { CallerRole } from '../../domain/actor';
import { type Action, POLICY } from '../../domain/policy';
import { CONTENT_TYPES } from '../../domain/reports/report-formats';
import { ATTACHMENT_LIMITS, ATTACHMENT_TYPES, attachmentRulesText } from '../../domain/tickets/attachments';
import { minutesText } from '../../domain/wording';
import {
  AttachmentList,
  AttachmentUpload,
  AvailabilityResponse,
  CommentPage,
  ConsultancyEventPage,
  ConsultancyMonthResponse,
  ConsultancyPage,
  ConsultancyResponse,
  ReportAccepted,
  ReportMonths,
  ReportVersions,
  CustomerPage,
  CustomerResponse,
  CustomerEventPage,
  EventPage,
  HealthResponse,
  HypercareResponse,
  NewCommentResponse,
  PeoplePage,
  PersonalDataExport,
  ErasureResponse,
  ServiceWindowList,
  ServiceWindowResponse,
  TicketPage,
  TicketResponse,
} from './responses';
import { IntegrationRegistrationBody, IntegrationResponse } from './integration-schemas';
import {
  AvailabilityQuery,
  ConsultancyDecisionBody,
  ConsultancyListQuery,
  IncreaseBody,
  NewConsultancyBody,
  ReportFileQuery,
  ReportRequestBody,
  ReportYearQuery,
  TimeEntryBody,
  CustomerProfileBody,
  HypercareExtensionBody,
  HypercareTransitionBody,
  MonthQuery,
  NewAttachmentBody,
  NewCommentBody,
  NewServiceWindowBody,
  NewTicketBody,
  PageQuery,
  PeopleQuery,
  PersonDataQuery,
  ErasureBody,
  TicketChangeBody,
  TicketListQuery,
} from './schemas';

/** One answer of a route: what it means, its body's schema (JSON) or media type. */
interface ResponseSpec {
  readonly description: string;
  readonly schema?: z.ZodMiniType;
  /** @default application/json when there is a schema; several for a route that serves files of each type */
  readonly contentType?: string | readonly string[];
}

/**
 * The API's capabilities: on AWS one function each, serving that capability's
 * routes with that capability's grants (a route costs a route and a permission,
 * not a function of its own). `public` also answers what no route takes ($default).
 */
export const CAPABILITIES = ['public', 'tickets', 'customers', 'availability', 'consultancy', 'reports', 'privacy'] as const;
export type Capability = (typeof CAPABILITIES)[number];

/** A capability's function module, relative to the repository root; it exports `handler`. */
export const capabilityEntry = (capability: Capability) => `functions/handlers/http/capabilities/${capability}.ts`;

/**
 * Everything about one HTTP route, declared once: the handler wrapper, the
 * OpenAPI document, the local server and the CDK app all read it.
 */
export interface RouteSpec<B extends z.ZodMiniType | undefined = z.ZodMiniType | undefined, Q extends z.ZodMiniType | undefined = z.ZodMiniType | undefined> {
  /** Also its handler module's name, `functions/handlers/http/<id>.ts`. */
  readonly id: string;
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** API Gateway route path, with `{name}` parameters. */
  readonly path: string;
  /** The function that serves it. */
  readonly capability: Capability;
  /** Its capability's function module, relative to the repository root; it exports `handler`. */
  readonly entry: string;
  readonly summary: string;
  /** What the caller does, in the authorization policy's words; absent for a public route, which must say why. */
  readonly action?: Action;
  /** Who may call: the action's roles in the policy; anyone else gets 403. Empty for a public route. */
  readonly roles: readonly CallerRole[];
  readonly publicReason?: string;
  /** False for the public routes (health, the OpenAPI document). */
  readonly authenticated: boolean;
  /** Whether the function writes to the table (least privilege otherwise). */
  readonly writes: boolean;
  /** Whether it arms, replaces or cancels SLA timers (only these may use Scheduler). */
  readonly armsTimers: boolean;
  /** Whether it serves report files (reads the report bucket) or asks the report function for a report. */
  readonly reports: 'none' | 'read' | 'request';
  /** Whether it hands out upload URLs for attachments (writes the attachment bucket) or links to them (reads it). */
  readonly attachments: 'none' | 'upload' | 'read';
  /** Whether it deletes (a person's erasure): its function alone may delete items, objects and accounts. */
  readonly deletes: boolean;
  /** Whether it honours an `Idempotency-Key` header. */
  readonly idempotencyKey: boolean;
  /** Whether it honours `If-Match` with the ETag a read gave. */
  readonly ifMatch: boolean;
  /** Whether the availability probe measures it (as target `api`): it must never be the one throttled. */
  readonly probed: boolean;
  /** Whether it reads the deployment's probe targets (the measured services), which the deploy writes into the table. */
  readonly probeTargets: boolean;
  readonly body: B;
  readonly query: Q;
  /** The success answers by status; errors are problem details. */
  readonly responses: Readonly<Record<number, ResponseSpec>>;
}

type Declared<B extends z.ZodMiniType | undefined, Q extends z.ZodMiniType | undefined> = Pick<RouteSpec<B, Q>, 'id' | 'method' | 'path' | 'capability' | 'summary' | 'responses'> &
  Partial<Pick<RouteSpec<B, Q>, 'action' | 'publicReason' | 'writes' | 'deletes' | 'armsTimers' | 'reports' | 'attachments' | 'idempotencyKey' | 'ifMatch' | 'probed' | 'probeTargets'>> & {
    readonly body?: B;
    readonly query?: Q;
  };

function route<B extends z.ZodMiniType | undefined = undefined, Q extends z.ZodMiniType | undefined = undefined>(spec: Declared<B, Q>): RouteSpec<B, Q> {
  const roles = spec.action ? POLICY[spec.action].roles : [];
  if (!spec.action && !spec.publicReason) throw new Error(`route ${spec.id} names no action: say why it may be public`);
  return {
    ...spec,
    entry: capabilityEntry(spec.capability),
    roles,
    authenticated: roles.length > 0,
    writes: spec.writes ?? false,
    armsTimers: spec.armsTimers ?? false,
    reports: spec.reports ?? 'none',
    attachments: spec.attachments ?? 'none',
    deletes: spec.deletes ?? false,
    idempotencyKey: spec.idempotencyKey ?? false,
    ifMatch: spec.ifMatch ?? false,
    probed: spec.probed ?? false,
    probeTargets: spec.probeTargets ?? false,
    body: spec.body as B,
    query: spec.query as Q,
  };
}

export const health = /* @__PURE__ */ route({
  id: 'health',
  method: 'GET',
  path: '/health',
  capability: 'public',
  summary: 'Checks the service and its table',
  publicReason: 'GET /health is the liveness probe for monitors that hold no token; it returns no ticket or customer data.',
  probed: true,
  responses: { 200: { description: 'The table answers', schema: HealthResponse } },
});

export const openapi = /* @__PURE__ */ route({
  id: 'openapi',
  method: 'GET',
  path: '/openapi.json',
  capability: 'public',
  summary: 'This document',
  publicReason: 'GET /openapi.json publishes the API contract to integrators before they have credentials; it contains no data.',
  responses: { 200: { description: 'The OpenAPI 3.1 document', contentType: 'application/json' } },
});

export const createTicket = /* @__PURE__ */ route({
  id: 'create-ticket',
  method: 'POST',
  path: '/tickets',
  capability: 'tickets',
  summary: 'Open a ticket (customer), with priority or the impact that derives it',
  action: 'ticket.open',
  writes: true,
  armsTimers: true,
  idempotencyKey: true,
  body: NewTicketBody,
  responses: { 201: { description: 'Opened (or, with a known Idempotency-Key, the first answer replayed)', schema: TicketResponse } },
});

export const listTickets = /* @__PURE__ */ route({
  id: 'list-tickets',
  method: 'GET',
  path: '/tickets',
  capability: 'tickets',
  summary: "List tickets, newest first, or the running ones by due time (sort=due): the agents' queue; the provider may ask for assignee=me, none or a person's id",
  action: 'ticket.read',
  query: TicketListQuery,
  responses: { 200: { description: 'A page of tickets', schema: TicketPage } },
});

export const getTicket = /* @__PURE__ */ route({
  id: 'get-ticket',
  method: 'GET',
  path: '/tickets/{id}',
  capability: 'tickets',
  summary: 'A ticket with its first-response SLA',
  action: 'ticket.read',
  responses: { 200: { description: 'The ticket; ETag is its version', schema: TicketResponse } },
});

export const updateTicket = /* @__PURE__ */ route({
  id: 'update-ticket',
  method: 'PATCH',
  path: '/tickets/{id}',
  capability: 'tickets',
  summary: 'Change priority, status, title or category, or assign it to an agent or admin (null: no one) (agent)',
  action: 'ticket.work',
  writes: true,
  armsTimers: true,
  ifMatch: true,
  body: TicketChangeBody,
  responses: { 200: { description: 'The changed ticket', schema: TicketResponse } },
});

export const addComment = /* @__PURE__ */ route({
  id: 'add-comment',
  method: 'POST',
  path: '/tickets/{id}/comments',
  capability: 'tickets',
  summary: "Comment; an agent's first public comment is the first response",
  action: 'ticket.comment',
  writes: true,
  armsTimers: true,
  idempotencyKey: true,
  body: NewCommentBody,
  responses: { 201: { description: 'Added', schema: NewCommentResponse } },
});

export const listComments = /* @__PURE__ */ route({
  id: 'list-comments',
  method: 'GET',
  path: '/tickets/{id}/comments',
  capability: 'tickets',
  summary: 'Comments (customers see public ones only)',
  action: 'ticket.read',
  query: PageQuery,
  responses: { 200: { description: 'A page of comments', schema: CommentPage } },
});

export const createAttachment = /* @__PURE__ */ route({
  id: 'create-attachment',
  method: 'POST',
  path: '/tickets/{id}/attachments',
  capability: 'tickets',
  summary: `Attach a file: ${attachmentRulesText()}, ${ATTACHMENT_LIMITS.perTicket} per ticket (internal ones are agents' only). Give its name, type and size, then PUT its bytes to uploadUrl within ${minutesText(ATTACHMENT_LIMITS.uploadSeconds / 60)}; it is available once its first bytes match its type`,
  action: 'ticket.comment',
  writes: true,
  attachments: 'upload',
  body: NewAttachmentBody,
  responses: { 201: { description: 'Asked for: pending until its bytes are uploaded and checked', schema: AttachmentUpload } },
});

export const listAttachments = /* @__PURE__ */ route({
  id: 'list-attachments',
  method: 'GET',
  path: '/tickets/{id}/attachments',
  capability: 'tickets',
  summary: "A ticket's attachments, oldest first, with their status (customers see public ones only)",
  action: 'ticket.read',
  responses: { 200: { description: 'The attachments', schema: AttachmentList } },
});

export const getAttachment = /* @__PURE__ */ route({
  id: 'get-attachment',
  method: 'GET',
  path: '/tickets/{id}/attachments/{attachmentId}',
  capability: 'tickets',
  summary: "An available attachment's bytes, as a download of its stored type",
  action: 'ticket.read',
  attachments: 'read',
  responses: {
    200: { description: 'The bytes (on the local stack)', contentType: Object.keys(ATTACHMENT_TYPES) },
    303: { description: 'On AWS: Location is a presigned URL to the bytes, valid for 5 minutes' },
  },
});

export const listTicketEvents = /* @__PURE__ */ route({
  id: 'list-ticket-events',
  method: 'GET',
  path: '/tickets/{id}/events',
  capability: 'tickets',
  summary: 'The audit trail',
  action: 'ticket.read',
  query: PageQuery,
  responses: { 200: { description: 'A page of events', schema: EventPage } },
});

export const listPeople = /* @__PURE__ */ route({
  id: 'list-people',
  method: 'GET',
  path: '/people',
  capability: 'tickets',
  summary: 'The people who may own tickets (role=agent: agents and admins alike), by name, for the assign menu (the provider); or whoever has an address (email=, admins)',
  action: 'people.list',
  query: PeopleQuery,
  responses: { 200: { description: 'A page of people, by name', schema: PeoplePage } },
});

export const exportPersonData = /* @__PURE__ */ route({
  id: 'export-person-data',
  method: 'GET',
  path: '/people/{personId}/data',
  capability: 'customers',
  summary: 'Everything held about a person as one JSON document (admin; the reason is recorded with who asked and when)',
  action: 'person.data',
  writes: true,
  query: PersonDataQuery,
  responses: { 200: { description: "The person's data", schema: PersonalDataExport } },
});

export const erasePerson = /* @__PURE__ */ route({
  id: 'erase-person',
  method: 'POST',
  path: '/people/{personId}/erasure',
  capability: 'privacy',
  summary:
    "Erase a person (admin): their account, their place among their customer's contacts and the files they attached are deleted, their comments' text too if asked (redactText), and their record emptied, so they read as Former user; billing and SLA figures stay. A second erasure changes nothing",
  action: 'person.data',
  writes: true,
  deletes: true,
  body: ErasureBody,
  responses: { 200: { description: 'Erased (or erased before: erased is false)', schema: ErasureResponse } },
});

export const putCustomer = /* @__PURE__ */ route({
  id: 'put-customer',
  method: 'PUT',
  path: '/customers/{id}',
  capability: 'customers',
  summary: "Set a customer's name, SLA alert contacts and hypercare end (admin)",
  action: 'customer.manage',
  writes: true,
  ifMatch: true,
  body: CustomerProfileBody,
  responses: { 200: { description: 'The customer as stored', schema: CustomerResponse } },
});

export const getCustomer = /* @__PURE__ */ route({
  id: 'get-customer',
  method: 'GET',
  path: '/customers/{id}',
  capability: 'customers',
  summary: 'A customer profile (the provider, or that customer)',
  action: 'customer.read',
  responses: { 200: { description: 'The customer', schema: CustomerResponse } },
});

export const createServiceWindow = /* @__PURE__ */ route({
  id: 'create-service-window',
  method: 'POST',
  path: '/service-windows',
  capability: 'availability',
  probeTargets: true,
  summary: 'Announce an extraordinary service window (agent; admin when it has already started); notifies every customer',
  action: 'service-window.announce',
  writes: true,
  idempotencyKey: true,
  body: NewServiceWindowBody,
  responses: { 201: { description: 'Announced', schema: ServiceWindowResponse } },
});

export const listServiceWindows = /* @__PURE__ */ route({
  id: 'list-service-windows',
  method: 'GET',
  path: '/service-windows',
  capability: 'availability',
  summary: 'Service windows overlapping a month',
  action: 'availability.read',
  query: MonthQuery,
  responses: { 200: { description: 'The windows', schema: ServiceWindowList } },
});

export const cancelServiceWindow = /* @__PURE__ */ route({
  id: 'cancel-service-window',
  method: 'DELETE',
  path: '/service-windows/{id}',
  capability: 'availability',
  summary: 'Cancel a window that has not started; tells the customers it was announced to',
  action: 'service-window.announce',
  writes: true,
  responses: { 204: { description: 'Cancelled' } },
});

export const getAvailability = /* @__PURE__ */ route({
  id: 'get-availability',
  method: 'GET',
  path: '/availability',
  capability: 'availability',
  probeTargets: true,
  summary: "A measured target's availability for a month, to date",
  action: 'availability.read',
  query: AvailabilityQuery,
  responses: { 200: { description: 'The figure', schema: AvailabilityResponse } },
});

export const getAvailabilitySamples = /* @__PURE__ */ route({
  id: 'get-availability-samples',
  method: 'GET',
  path: '/availability/samples',
  capability: 'availability',
  probeTargets: true,
  summary: 'The raw probe samples of a month, as JSON Lines, for audit',
  action: 'availability.read',
  query: AvailabilityQuery,
  responses: { 200: { description: 'One sample a line', contentType: 'application/jsonl' } },
});

export const listCustomers = /* @__PURE__ */ route({
  id: 'list-customers',
  method: 'GET',
  path: '/customers',
  capability: 'customers',
  summary: 'Every customer, by id, each with its hypercare status (the provider)',
  action: 'customer.list',
  query: PageQuery,
  responses: { 200: { description: 'A page of customers', schema: CustomerPage } },
});

export const getHypercare = /* @__PURE__ */ route({
  id: 'get-hypercare',
  method: 'GET',
  path: '/customers/{id}/hypercare',
  capability: 'customers',
  summary: "A customer's hypercare: status, planned end, extensions, and each exit criterion with who met it and when",
  action: 'customer.read',
  responses: { 200: { description: 'The hypercare as it stands', schema: HypercareResponse } },
});

export const signOffHypercare = /* @__PURE__ */ route({
  id: 'sign-off-hypercare',
  method: 'POST',
  path: '/customers/{id}/hypercare/signoff',
  capability: 'customers',
  summary: 'Sign that the system is stable: a user of the customer for the customer, an agent or admin for the provider',
  action: 'hypercare.sign-off',
  writes: true,
  responses: { 200: { description: 'Signed (signing again keeps the first signature)', schema: HypercareResponse } },
});

export const withdrawHypercareSignoff = /* @__PURE__ */ route({
  id: 'withdraw-hypercare-signoff',
  method: 'DELETE',
  path: '/customers/{id}/hypercare/signoff',
  capability: 'customers',
  summary: "Withdraw the caller's side's sign-off, until the period concludes",
  action: 'hypercare.sign-off',
  writes: true,
  responses: { 200: { description: 'Withdrawn', schema: HypercareResponse } },
});

export const extendHypercare = /* @__PURE__ */ route({
  id: 'extend-hypercare',
  method: 'POST',
  path: '/customers/{id}/hypercare/extensions',
  capability: 'customers',
  summary: 'Record an extension both parties agreed (admin): moves the planned end',
  action: 'hypercare.decide',
  writes: true,
  body: HypercareExtensionBody,
  responses: { 200: { description: 'Extended', schema: HypercareResponse } },
});

export const transitionHypercare = /* @__PURE__ */ route({
  id: 'transition-hypercare',
  method: 'POST',
  path: '/customers/{id}/hypercare/transition',
  capability: 'customers',
  summary: 'Record the formal transition to standard support (admin), with an optional note',
  action: 'hypercare.decide',
  writes: true,
  body: HypercareTransitionBody,
  responses: { 200: { description: 'Recorded (once)', schema: HypercareResponse } },
});

export const listCustomerEvents = /* @__PURE__ */ route({
  id: 'list-customer-events',
  method: 'GET',
  path: '/customers/{id}/events',
  capability: 'customers',
  summary: "A customer's audit trail: each change to its record and hypercare, and the conclusion, recorded once when it happened",
  action: 'customer.read',
  query: PageQuery,
  responses: { 200: { description: 'A page of events, oldest first', schema: CustomerEventPage } },
});

export const createConsultancy = /* @__PURE__ */ route({
  id: 'create-consultancy',
  method: 'POST',
  path: '/consultancy',
  capability: 'consultancy',
  summary: "Open a consultancy request: an agent proposes it for a customer (customerId), or a customer asks for it itself; the customer's approvers are emailed",
  action: 'consultancy.propose',
  writes: true,
  idempotencyKey: true,
  body: NewConsultancyBody,
  responses: { 201: { description: "Proposed, awaiting the customer's approval (or, with a known Idempotency-Key, the first answer replayed)", schema: ConsultancyResponse } },
});

export const listConsultancy = /* @__PURE__ */ route({
  id: 'list-consultancy',
  method: 'GET',
  path: '/consultancy',
  capability: 'consultancy',
  summary: "Consultancy requests, newest first (customers see their own); with month=YYYY-MM, the month's billable time and totals (finance, admins, a customer for itself)",
  action: 'consultancy.read',
  query: ConsultancyListQuery,
  responses: { 200: { description: "A page of requests, or the month's billable time", schema: z.union([ConsultancyPage, ConsultancyMonthResponse]) } },
});

export const getConsultancy = /* @__PURE__ */ route({
  id: 'get-consultancy',
  method: 'GET',
  path: '/consultancy/{id}',
  capability: 'consultancy',
  summary: 'A consultancy request with its approval, increases and time entries',
  action: 'consultancy.read',
  responses: { 200: { description: 'The request', schema: ConsultancyResponse } },
});

export const listConsultancyEvents = /* @__PURE__ */ route({
  id: 'list-consultancy-events',
  method: 'GET',
  path: '/consultancy/{id}/events',
  capability: 'consultancy',
  summary: "A consultancy request's audit trail: every transition, who made it and when",
  action: 'consultancy.read',
  query: PageQuery,
  responses: { 200: { description: 'A page of events, oldest first', schema: ConsultancyEventPage } },
});

/** The customer's decisions: only a user of that customer; the provider gets 403. */
const decision = (id: string, path: string, summary: string) =>
  route({
    id,
    method: 'POST',
    path,
    capability: 'consultancy',
    summary,
    action: 'consultancy.decide',
    writes: true,
    body: ConsultancyDecisionBody,
    responses: { 200: { description: 'Decided', schema: ConsultancyResponse } },
  });

export const approveConsultancy = /* @__PURE__ */ decision('approve-consultancy', '/consultancy/{id}/approve', 'Approve the work in advance (the customer), at the rate now in force');
export const rejectConsultancy = /* @__PURE__ */ decision('reject-consultancy', '/consultancy/{id}/reject', 'Reject the proposed work (the customer)');
export const approveConsultancyIncrease = /* @__PURE__ */ decision('approve-consultancy-increase', '/consultancy/{id}/increase/{n}/approve', 'Approve more hours (the customer)');
export const rejectConsultancyIncrease = /* @__PURE__ */ decision('reject-consultancy-increase', '/consultancy/{id}/increase/{n}/reject', 'Reject more hours (the customer)');

export const cancelConsultancy = /* @__PURE__ */ route({
  id: 'cancel-consultancy',
  method: 'POST',
  path: '/consultancy/{id}/cancel',
  capability: 'consultancy',
  summary: 'Cancel: an agent before or during the work, the customer before approving it',
  action: 'consultancy.propose',
  writes: true,
  body: ConsultancyDecisionBody,
  responses: { 200: { description: 'Cancelled', schema: ConsultancyResponse } },
});

export const completeConsultancy = /* @__PURE__ */ route({
  id: 'complete-consultancy',
  method: 'POST',
  path: '/consultancy/{id}/complete',
  capability: 'consultancy',
  summary: 'Complete approved work (agent): it takes no more time',
  action: 'consultancy.deliver',
  writes: true,
  responses: { 200: { description: 'Completed', schema: ConsultancyResponse } },
});

export const logConsultancyTime = /* @__PURE__ */ route({
  id: 'log-consultancy-time',
  method: 'POST',
  path: '/consultancy/{id}/time',
  capability: 'consultancy',
  summary: 'Log time against approved work (agent), never beyond the approved hours',
  action: 'consultancy.deliver',
  writes: true,
  idempotencyKey: true,
  body: TimeEntryBody,
  responses: { 201: { description: 'Logged (or, with a known Idempotency-Key, the first answer replayed)', schema: ConsultancyResponse } },
});

export const requestConsultancyIncrease = /* @__PURE__ */ route({
  id: 'request-consultancy-increase',
  method: 'POST',
  path: '/consultancy/{id}/increase',
  capability: 'consultancy',
  summary: 'Ask the customer for more hours on approved work (agent); its approvers are emailed',
  action: 'consultancy.deliver',
  writes: true,
  idempotencyKey: true,
  body: IncreaseBody,
  responses: { 201: { description: 'Asked; the hours count once the customer approves', schema: ConsultancyResponse } },
});

/** Reports are for finance, admins, and each customer (its own slice); agents work tickets. */
const REPORT_MEDIA_TYPES = /* @__PURE__ */ [...new Set(Object.values(CONTENT_TYPES).map((type) => type.split(';')[0]!))];

export const generateReport = /* @__PURE__ */ route({
  id: 'generate-report',
  method: 'POST',
  path: '/reports/{month}',
  capability: 'reports',
  summary: "Generate a month's report (again) once the month has ended (finance, admin): a new version, never overwriting one",
  action: 'report.generate',
  reports: 'request',
  body: ReportRequestBody,
  responses: { 202: { description: 'Accepted: the report function makes the next version', schema: ReportAccepted } },
});

export const listReports = /* @__PURE__ */ route({
  id: 'list-reports',
  method: 'GET',
  path: '/reports',
  capability: 'reports',
  summary: "A year's monthly reports, each with its latest version",
  action: 'report.read',
  query: ReportYearQuery,
  responses: { 200: { description: 'The months with a report', schema: ReportMonths } },
});

export const listReportVersions = /* @__PURE__ */ route({
  id: 'list-report-versions',
  method: 'GET',
  path: '/reports/{month}',
  capability: 'reports',
  summary: "A month's report versions: when, by whom and why each was made",
  action: 'report.read',
  responses: { 200: { description: 'The versions, oldest first', schema: ReportVersions } },
});

export const getReportFile = /* @__PURE__ */ route({
  id: 'get-report-file',
  method: 'GET',
  path: '/reports/{month}/{file}',
  capability: 'reports',
  summary:
    'A file of the latest version, or of ?version=N: report.json, availability.csv, sla.csv, resolution.csv, consultancy.csv or report.html (a customer gets its own slice; the all-customer CSVs are 403 for it)',
  action: 'report.read',
  reports: 'read',
  query: ReportFileQuery,
  responses: {
    200: { description: 'The file (a customer slice, or any file on the local stack)', contentType: REPORT_MEDIA_TYPES },
    303: { description: "On AWS, the provider's stored file: Location is a presigned URL to it, valid for 5 minutes" },
  },
});

/*
 * ---- Integrations: customers' own systems and the keys they sign with ----
 * The provider's admins register and revoke them (and `sla-desk onboard
 * --integration` does, on a deployed stage straight to the table). They take
 * effect with no deploy: the authorizer reads them from the table.
 */

export const getIntegration = /* @__PURE__ */ route({
  id: 'get-integration',
  method: 'GET',
  path: '/integrations/{id}',
  capability: 'customers',
  summary: "An integration: a customer's system, the public key it signs its assertions with, and whether it is revoked (admin)",
  action: 'integration.manage',
  responses: { 200: { description: 'The integration', schema: IntegrationResponse } },
});

export const registerIntegration = /* @__PURE__ */ route({
  id: 'register-integration',
  method: 'PUT',
  path: '/integrations/{id}',
  capability: 'customers',
  summary: "Register a customer's system and the public key it signs its assertions with (admin): in effect at once, no deploy. The id is the assertions' kid, iss and sub",
  action: 'integration.manage',
  writes: true,
  body: IntegrationRegistrationBody,
  responses: {
    200: { description: 'Registered already, with this customer and key: nothing changed', schema: IntegrationResponse },
    201: { description: 'Registered', schema: IntegrationResponse },
  },
});

export const revokeIntegration = /* @__PURE__ */ route({
  id: 'revoke-integration',
  method: 'POST',
  path: '/integrations/{id}/revoke',
  capability: 'customers',
  summary: 'Revoke an integration, for ever (admin): its assertions are refused within a minute. Revoking again keeps the first revocation',
  action: 'integration.manage',
  writes: true,
  responses: { 200: { description: 'Revoked', schema: IntegrationResponse } },
});

/** Every route by name. */
const ROUTE = {
  health,
  openapi,
  createTicket,
  listTickets,
  getTicket,
  updateTicket,
  addComment,
  listComments,
  listTicketEvents,
  createAttachment,
  listAttachments,
  getAttachment,
  listPeople,
  exportPersonData,
  erasePerson,
  putCustomer,
  getCustomer,
  listCustomers,
  listCustomerEvents,
  getHypercare,
  signOffHypercare,
  withdrawHypercareSignoff,
  extendHypercare,
  transitionHypercare,
  createServiceWindow,
  listServiceWindows,
  cancelServiceWindow,
  getAvailability,
  getAvailabilitySamples,
  createConsultancy,
  listConsultancy,
  getConsultancy,
  listConsultancyEvents,
  approveConsultancy,
  rejectConsultancy,
  cancelConsultancy,
  completeConsultancy,
  logConsultancyTime,
  requestConsultancyIncrease,
  approveConsultancyIncrease,
  rejectConsultancyIncrease,
  generateReport,
  listReports,
  listReportVersions,
  getReportFile,
  getIntegration,
  registerIntegration,
  revokeIntegration,
} as const;

/** Every route, in the order the document lists them. */
export const ROUTES: readonly RouteSpec[] = /* @__PURE__ */ Object.values(ROUTE);

/** The API Gateway route key of a declared route, e.g. `GET /tickets/{id}`: what a function is told it serves. */
export const routeKey = (route: Pick<RouteSpec, 'method' | 'path'>) => `${route.method} ${route.path}`;

/** The path the availability probe measures as target `api`, relative to the API's root (no leading slash). */
export const probedPath = (): string => ROUTES.find((r) => r.probed)!.path.slice(1);

/** A route path as a pattern: `{name}` matches one segment, everything else itself. */
export function routePattern(path: string): RegExp {
  const literal = (text: string) => text.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
  return new RegExp(
    `^${path
      .split(/\{\w+\}/)
      .map(literal)
      .join('([^/]+)')}$`,
  );
}

/** The methods some route answers on this path; none for a path no route has. */
export function allowedMethods(path: string): string[] {
  return [...new Set(ROUTES.filter((r) => routePattern(r.path).test(path)).map((r) => r.method))];
}
